import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { SimTemplate, SimTemplateButton } from '../text/vendor-templates.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { NHN_CODES, type NhnRefusal, nhnSuccess, refuse } from './nhn-alimtalk-answers.ts';
import { isRecord } from './nhn-alimtalk-send.ts';

/**
 * NHN AlimTalk's template API for one sender key (ATDOC `en/alimtalk-api-guide.md`, Templates):
 * list (GET, paged by pageNum/pageSize <= 1000, filtered by templateCode and templateStatus),
 * register (POST; a code already there -3001) and modify (PUT; only TSC03/TSC04, else -3012). A
 * registration is checked as NHN checks it: code <= 20, name <= 150, content <= 1300, at most 5
 * buttons, each named (<= 14, no #{variable}) with its type's required fields (WL linkMo, links
 * http(s), AL two of schemeAndroid/schemeIos/linkMo, AC named "채널 추가").
 */
export async function handleNhnTemplates(
  request: TextRequest,
  url: URL,
  senderKey: string,
  rest: readonly string[],
  context: TextContractContext,
): Promise<HttpAnswer | undefined> {
  const { vendorId } = request;
  if (!context.text.kakaoSenders.allows(vendorId, senderKey)) return refuse(NHN_CODES.senderNotFound);
  if (rest.length === 0 && request.method === 'GET') return list(vendorId, senderKey, url, context);
  if (rest.length === 0 && request.method === 'POST') return register(request, senderKey, undefined, context);
  if (rest.length === 1 && request.method === 'PUT') return register(request, senderKey, rest[0], context);
  return undefined;
}

const STATUS_CODES: Readonly<Record<SimTemplate['state'], string>> = {
  requested: 'TSC01',
  approved: 'TSC03',
  rejected: 'TSC04',
};
const STATUS_NAMES: Readonly<Record<string, string>> = { TSC01: '요청', TSC03: '승인', TSC04: '반려' };

function list(vendorId: string, senderKey: string, url: URL, context: TextContractContext): HttpAnswer {
  const code = url.searchParams.get('templateCode');
  const status = url.searchParams.get('templateStatus');
  const pageNum = Math.max(1, Number(url.searchParams.get('pageNum') ?? 1) || 1);
  const pageSize = Math.min(1_000, Math.max(1, Number(url.searchParams.get('pageSize') ?? 15) || 15));
  const matching = context.text.templates
    .list(vendorId)
    .filter((template) => template.senderId === senderKey)
    .filter((template) => code === null || template.code === code)
    .filter((template) => status === null || STATUS_CODES[template.state] === status);
  const page = matching.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  return nhnSuccess({
    templateListResponse: { templates: page.map((t) => listed(t, senderKey)), totalCount: matching.length },
  });
}

function listed(template: SimTemplate, senderKey: string): Record<string, unknown> {
  const status = STATUS_CODES[template.state];
  return {
    senderKey,
    templateCode: template.code,
    templateName: template.name,
    templateMessageType: 'BA',
    templateEmphasizeType: 'NONE',
    templateContent: template.body,
    buttons: template.buttons.map((button, index) => ({
      ordering: index + 1,
      type: button.type,
      name: button.name,
      linkMo: button.linkMobile ?? null,
      linkPc: button.linkPc ?? null,
      schemeIos: button.schemeIos ?? null,
      schemeAndroid: button.schemeAndroid ?? null,
    })),
    comments:
      template.state === 'rejected' && template.rejectedReason !== undefined
        ? [{ id: 1, content: template.rejectedReason, userName: 'Kakao', status: 'REJ' }]
        : [],
    status,
    statusName: STATUS_NAMES[status],
    createDate: new Date(template.createdAt).toISOString(),
    updateDate: new Date(template.updatedAt).toISOString(),
  };
}

async function register(
  request: TextRequest,
  senderKey: string,
  modifying: string | undefined,
  context: TextContractContext,
): Promise<HttpAnswer> {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return refuse(NHN_CODES.unreadableBody);
  }
  if (!isRecord(body)) return refuse(NHN_CODES.unreadableBody);
  const code = modifying ?? body.templateCode;
  const problem = templateProblem(body, code);
  if (problem !== undefined) return refuse(problem[0], problem[1]);
  const { vendorId } = request;
  const earlier = context.text.templates.get(vendorId, code as string);
  if (modifying === undefined && earlier !== undefined) return refuse(NHN_CODES.alreadyExists);
  if (modifying !== undefined) {
    if (earlier === undefined || earlier.senderId !== senderKey) return refuse(NHN_CODES.templateNotFound);
    if (earlier.state === 'requested') return refuse(NHN_CODES.notModifiable);
  }
  // A modification goes back to review, as a new registration does (autoApprove decides).
  context.text.templates.put(vendorId, {
    code: code as string,
    name: body.templateName as string,
    senderId: senderKey,
    body: body.templateContent as string,
    buttons: [...((body.buttons ?? []) as Record<string, unknown>[])]
      .sort((a, b) => Number(a.ordering ?? 0) - Number(b.ordering ?? 0))
      .map(toSimButton),
  });
  return nhnSuccess();
}

type Problem = [NhnRefusal] | [NhnRefusal, string];

function templateProblem(body: Record<string, unknown>, code: unknown): Problem | undefined {
  const fields: [string, unknown, number][] = [
    ['templateCode', code, 20],
    ['templateName', body.templateName, 150],
    ['templateContent', body.templateContent, 1_300],
  ];
  for (const [name, value, max] of fields) {
    if (typeof value !== 'string' || value === '') return [NHN_CODES.blank, name];
    if (value.length > max) return [NHN_CODES.tooLong, name];
  }
  const buttons = body.buttons ?? [];
  if (!Array.isArray(buttons)) return [NHN_CODES.invalidButton];
  if (buttons.length > 5) return [NHN_CODES.outOfRange, 'buttons'];
  for (const button of buttons) {
    const problem = isRecord(button) ? buttonProblem(button) : NHN_CODES.invalidButton;
    if (problem !== undefined) return [problem];
  }
  return undefined;
}

const BUTTON_TYPES: ReadonlySet<string> = new Set([
  'WL',
  'AL',
  'DS',
  'BK',
  'MD',
  'BC',
  'BT',
  'AC',
  'BF',
  'TN',
]);

/** One template button against NHN's rules for its type. */
export function buttonProblem(button: Record<string, unknown>): NhnRefusal | undefined {
  const { type, name, linkMo, linkPc, schemeIos, schemeAndroid } = button;
  if (typeof type !== 'string' || !BUTTON_TYPES.has(type)) return NHN_CODES.invalidButton;
  if (typeof name !== 'string' || name === '') return NHN_CODES.buttonName;
  if (name.length > 14) return NHN_CODES.tooLong;
  if (name.includes('#{')) return NHN_CODES.buttonNameVariable;
  const given = (value: unknown) => typeof value === 'string' && value !== '';
  if (type === 'WL' && !given(linkMo)) return NHN_CODES.webLinkWithoutLinkMo;
  for (const link of [linkMo, linkPc]) {
    if (given(link) && !/^https?:\/\//.test(link as string)) return NHN_CODES.linkScheme;
  }
  if (type === 'AL' && [schemeAndroid, schemeIos, linkMo].filter(given).length < 2) return NHN_CODES.appLink;
  if (type === 'AC' && name !== '채널 추가') return NHN_CODES.addChannelName;
  return undefined;
}

function toSimButton(button: Record<string, unknown>): SimTemplateButton {
  const text = (key: string) =>
    typeof button[key] === 'string' && button[key] !== '' ? button[key] : undefined;
  const links = {
    linkMobile: text('linkMo'),
    linkPc: text('linkPc'),
    schemeIos: text('schemeIos'),
    schemeAndroid: text('schemeAndroid'),
  };
  const present = Object.entries(links).filter(([, value]) => value !== undefined);
  return { type: String(button.type), name: String(button.name), ...Object.fromEntries(present) };
}
