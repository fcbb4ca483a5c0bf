import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { SimTemplate, SimTemplateButton } from '../text/vendor-templates.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError, solapiOk } from './solapi-answers.ts';

/** SOLAPI's review states (kakaoAlimtalkTemplate.ts): a request under review is INSPECTING. */
const STATUS_OF = { requested: 'INSPECTING', approved: 'APPROVED', rejected: 'REJECTED' } as const;
const DEFAULT_LIMIT = 20;

/**
 * `GET /kakao/v2/templates?channelId=&limit=&startKey=` -> `{limit, templateList, startKey,
 * nextKey}` (solapi-nodejs kakaoTemplateService.ts getKakaoAlimtalkTemplates,
 * getKakaoAlimtalkTemplatesResponse.ts), walked by nextKey (the next template's id).
 */
export function handleTemplateList(request: TextRequest, context: TextContractContext): HttpAnswer {
  const query = new URL(request.path, 'http://solapi.invalid').searchParams;
  const channelId = query.get('channelId');
  const limit = Math.min(Math.max(Number(query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1), 500);
  const all = context.text.templates
    .list(request.vendorId)
    .filter((template) => channelId === null || template.senderId === channelId)
    .sort((a, b) => a.code.localeCompare(b.code));
  const startKey = query.get('startKey');
  const from =
    startKey === null
      ? 0
      : Math.max(
          0,
          all.findIndex((template) => template.code === startKey),
        );
  const page = all.slice(from, from + limit);
  return solapiOk({
    limit,
    startKey,
    nextKey: all[from + limit]?.code ?? null,
    templateList: page.map(render),
  });
}

/**
 * `POST /kakao/v2/templates {name, content, categoryCode, channelId, buttons}` (createKakaoAlimtalkTemplateRequest.ts):
 * the channel must be herald's at this vendor, the name unused in the account; SOLAPI gives the
 * template its id (KA01TP...) and puts it under review (approved at once with autoApprove).
 */
export function handleTemplateCreate(request: TextRequest, context: TextContractContext): HttpAnswer {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const { name, content, categoryCode, channelId, buttons } = body ?? {};
  if (typeof name !== 'string' || name === '' || typeof content !== 'string' || content === '') {
    return solapiError(400, 'ValidationError', 'name and content are required');
  }
  if (typeof categoryCode !== 'string' || categoryCode === '') {
    return solapiError(400, 'ValidationError', 'categoryCode is required');
  }
  if (typeof channelId !== 'string' || !context.text.kakaoSenders.allows(request.vendorId, channelId)) {
    return solapiError(404, 'NotFound', '채널을 찾을 수 없습니다');
  }
  const templates = context.text.templates.list(request.vendorId);
  if (templates.some((template) => template.name === name)) {
    return solapiError(400, 'ValidationError', '이미 등록된 템플릿 이름입니다');
  }
  const now = context.text.now();
  const stored = context.text.templates.put(
    request.vendorId,
    {
      code: templateId(now),
      name,
      senderId: channelId,
      body: content,
      buttons: Array.isArray(buttons) ? buttons.map(toSimButton) : [],
    },
    now,
  );
  return solapiOk(render(stored));
}

function render(template: SimTemplate): Record<string, unknown> {
  return {
    templateId: template.code,
    name: template.name,
    channelId: template.senderId,
    channelGroupId: null,
    content: template.body,
    isHidden: false,
    messageType: 'BA',
    emphasizeType: 'NONE',
    securityFlag: false,
    assignType: 'CHANNEL',
    buttons: template.buttons.map((button) => ({
      buttonName: button.name,
      buttonType: button.type,
      ...(button.linkMobile ? { linkMo: button.linkMobile } : {}),
      ...(button.linkPc ? { linkPc: button.linkPc } : {}),
      ...(button.schemeAndroid ? { linkAnd: button.schemeAndroid } : {}),
      ...(button.schemeIos ? { linkIos: button.schemeIos } : {}),
    })),
    status: STATUS_OF[template.state],
    comments:
      template.state === 'rejected'
        ? [
            {
              isAdmin: true,
              memberId: 'kakao',
              content: template.rejectedReason ?? null,
              dateCreated: new Date(template.updatedAt).toISOString(),
            },
          ]
        : [],
    variables: [...template.body.matchAll(/#\{([^}]+)\}/g)].map((match) => ({ name: match[1] })),
    dateCreated: new Date(template.createdAt).toISOString(),
    dateUpdated: new Date(template.updatedAt).toISOString(),
  };
}

function toSimButton(raw: unknown): SimTemplateButton {
  const button = (raw ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const linkMobile = text(button.linkMo);
  const linkPc = text(button.linkPc);
  const schemeAndroid = text(button.linkAnd);
  const schemeIos = text(button.linkIos);
  return {
    type: text(button.buttonType) ?? '',
    name: text(button.buttonName) ?? '',
    ...(linkMobile ? { linkMobile } : {}),
    ...(linkPc ? { linkPc } : {}),
    ...(schemeAndroid ? { schemeAndroid } : {}),
    ...(schemeIos ? { schemeIos } : {}),
  };
}

/** An id shaped like SOLAPI's (`KA01TP` + time to the millisecond + random). */
function templateId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(2, 17);
  return `KA01TP${stamp}${Math.random().toString(36).slice(2, 12)}`;
}
