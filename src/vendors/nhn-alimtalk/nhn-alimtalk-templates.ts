import type { KakaoButton } from '../../core/domain/message.ts';
import type {
  TemplateSubmission,
  VendorTemplate,
  VendorTemplateApi,
  VendorTemplateState,
} from '../../ports/vendor.ts';
import type { JsonResponse } from '../http1/json-http-client.ts';
import { nhnAlimtalkPath, nhnHeaders, toNhnButton } from './nhn-alimtalk-request.ts';
import { callFailure, headerOf } from './nhn-alimtalk-response.ts';
import type { NhnCall } from './nhn-alimtalk-vendor.ts';

/**
 * NHN AlimTalk's template API for one sender key (ATDOC `en/alimtalk-api-guide.md`, Templates):
 *
 *   GET  /alimtalk/v2.3/appkeys/{appkey}/senders/{senderKey}/templates?pageNum=&pageSize= (<= 1000)
 *        -> {header, templateListResponse: {templates: [{templateCode, templateName,
 *            templateContent, buttons [{ordering, type, name, linkMo, linkPc, schemeIos,
 *            schemeAndroid}], status TSC01..TSC04, comments [{content, status REJ...}]}], totalCount}}
 *   POST /alimtalk/v2.3/appkeys/{appkey}/senders/{senderKey}/templates
 *        {templateCode (<= 20), templateName (<= 150), templateContent (<= 1300),
 *         templateMessageType BA, templateEmphasizeType NONE, buttons (<= 5)}
 *   PUT  .../templates/{templateCode}   the same body; only an approved or rejected template (-3012)
 *
 * Status codes: TSC01 requested, TSC02 under review, TSC03 approved, TSC04 rejected.
 */
const STATES: Readonly<Record<string, VendorTemplateState>> = {
  TSC01: 'requested',
  TSC02: 'requested',
  TSC03: 'approved',
  TSC04: 'rejected',
};
/** The most the list answers in one page. */
const PAGE_SIZE = 1_000;
/** -3001: "Template code or template name already exists": registered before, so it is a modification. */
const ALREADY_EXISTS = -3001;

interface NhnListedTemplate {
  readonly templateCode?: unknown;
  readonly templateName?: unknown;
  readonly templateContent?: unknown;
  readonly buttons?: unknown;
  readonly status?: unknown;
  readonly comments?: unknown;
}

export function createNhnTemplateApi(
  vendorId: string,
  appKey: string,
  secretKey: string,
  call: NhnCall,
): VendorTemplateApi {
  const templatesPath = (senderKey: string) =>
    nhnAlimtalkPath(appKey, `/senders/${encodeURIComponent(senderKey)}/templates`);
  const headers = nhnHeaders(secretKey);
  return {
    async list(senderId: string, signal: AbortSignal): Promise<VendorTemplate[]> {
      const templates: VendorTemplate[] = [];
      for (let page = 1; ; page += 1) {
        const path = `${templatesPath(senderId)}?pageNum=${page}&pageSize=${PAGE_SIZE}`;
        const response = await call({ method: 'GET', path, headers }, signal);
        const { listed, totalCount } = listPage(vendorId, response);
        templates.push(...listed.map(fromNhnTemplate));
        if (listed.length === 0 || templates.length >= totalCount) return templates;
      }
    },
    async submit(template: TemplateSubmission, signal: AbortSignal): Promise<void> {
      const json = toNhnRegistration(template);
      const path = templatesPath(template.senderId);
      const created = await call({ method: 'POST', path, headers, json }, signal);
      if (headerOf(created.body)?.resultCode !== ALREADY_EXISTS) {
        throwIfFailed(vendorId, created, 'template registration');
        return;
      }
      const modifyPath = `${path}/${encodeURIComponent(template.code)}`;
      const modified = await call({ method: 'PUT', path: modifyPath, headers, json }, signal);
      throwIfFailed(vendorId, modified, 'template modification');
    },
  };
}

/** The registration (and modification) body of a basic, text-only template with its buttons. */
export function toNhnRegistration(template: TemplateSubmission): Record<string, unknown> {
  return {
    templateCode: template.code,
    templateName: template.name,
    templateContent: template.body,
    templateMessageType: 'BA',
    templateEmphasizeType: 'NONE',
    buttons: template.buttons.map(toNhnButton),
  };
}

function listPage(
  vendorId: string,
  response: JsonResponse,
): { listed: NhnListedTemplate[]; totalCount: number } {
  throwIfFailed(vendorId, response, 'template list');
  const body = (response.body as { templateListResponse?: { templates?: unknown; totalCount?: unknown } })
    .templateListResponse;
  const listed = Array.isArray(body?.templates) ? (body.templates as NhnListedTemplate[]) : [];
  const totalCount = typeof body?.totalCount === 'number' ? body.totalCount : listed.length;
  return { listed, totalCount };
}

/** One listed template in herald's words; a rejection's reason is the reviewer's last REJ comment. */
export function fromNhnTemplate(listed: NhnListedTemplate): VendorTemplate {
  const state = STATES[String(listed.status)] ?? 'requested';
  const comments = Array.isArray(listed.comments) ? (listed.comments as Record<string, unknown>[]) : [];
  const rejection = comments.filter((comment) => comment?.status === 'REJ').at(-1)?.content;
  const buttons = Array.isArray(listed.buttons) ? (listed.buttons as Record<string, unknown>[]) : [];
  return {
    code: String(listed.templateCode ?? ''),
    name: String(listed.templateName ?? ''),
    body: String(listed.templateContent ?? ''),
    buttons: [...buttons]
      .sort((a, b) => Number(a.ordering ?? 0) - Number(b.ordering ?? 0))
      .map(fromNhnButton),
    state,
    ...(state === 'rejected' && typeof rejection === 'string' ? { rejectedReason: rejection } : {}),
  };
}

function fromNhnButton(button: Record<string, unknown>): KakaoButton {
  const text = (key: string) =>
    typeof button[key] === 'string' && button[key] !== '' ? button[key] : undefined;
  const linkMobile = text('linkMo');
  const linkPc = text('linkPc');
  const schemeIos = text('schemeIos');
  const schemeAndroid = text('schemeAndroid');
  return {
    type: String(button.type ?? ''),
    name: String(button.name ?? ''),
    ...(linkMobile ? { linkMobile } : {}),
    ...(linkPc ? { linkPc } : {}),
    ...(schemeIos ? { schemeIos } : {}),
    ...(schemeAndroid ? { schemeAndroid } : {}),
  };
}

function throwIfFailed(vendorId: string, response: JsonResponse, what: string): void {
  const failure = callFailure(vendorId, response, what);
  if (failure !== undefined) throw failure;
}
