import type { KakaoButton } from '../../core/domain/message.ts';
import type {
  TemplateSubmission,
  VendorTemplate,
  VendorTemplateApi,
  VendorTemplateState,
} from '../../ports/vendor.ts';
import { toSensButton } from './sens-buttons.ts';
import type { SensClient } from './sens-client.ts';

/** SENS answers at most 100 templates a page (sens-alimtalk-template-get: pageSize 1-100). */
const PAGE_SIZE = 100;

/**
 * Kakao's review states as SENS reports them (templateInspectionStatus, sens-alimtalk-template-get):
 * REG registered, REQ under review, APR approved, REJ rejected. Only APR may be sent.
 */
function stateOf(inspection: unknown): VendorTemplateState {
  if (inspection === 'APR') return 'approved';
  if (inspection === 'REJ') return 'rejected';
  return 'requested';
}

interface SensTemplateWire {
  readonly templateCode?: unknown;
  readonly templateName?: unknown;
  readonly content?: unknown;
  readonly templateInspectionStatus?: unknown;
  readonly comments?: unknown;
  readonly buttons?: unknown;
}

/**
 * SENS' AlimTalk template API for one project:
 *
 *   GET  /alimtalk/v2/services/{serviceId}/templates?channelId=@...&pageSize=100&pageIndex=N
 *        -> [{templateCode, templateName, content, templateInspectionStatus, templateStatus,
 *             comments:[{content,status,...}], buttons:[{order,type,name,linkMobile,...}]}]
 *        (https://api.ncloud-docs.com/docs/sens-alimtalk-template-get)
 *   POST /alimtalk/v2/services/{serviceId}/templates
 *        {channelId, templateCode, templateName, content, messageType:"BA", emphasizeType:"NONE",
 *         categoryCode, buttons:[{order,type,name,...}]}
 *        (the create page was not in the stored docs: its fields here are the look-up's own
 *        names; verify against https://api.ncloud-docs.com/docs/sens-alimtalk-template-create)
 */
export function sensTemplateApi(client: SensClient): VendorTemplateApi {
  const base = `${client.servicePath('alimtalk')}/templates`;
  return {
    async list(senderId: string, signal: AbortSignal): Promise<VendorTemplate[]> {
      const templates: VendorTemplate[] = [];
      for (let pageIndex = 0; ; pageIndex += 1) {
        const query = `channelId=${encodeURIComponent(senderId)}&pageSize=${PAGE_SIZE}&pageIndex=${pageIndex}`;
        const response = await client.call('GET', `${base}?${query}`, signal);
        const page = Array.isArray(response.body) ? (response.body as SensTemplateWire[]) : [];
        templates.push(...page.map(templateOf));
        if (page.length < PAGE_SIZE) return templates;
      }
    },
    async submit(template: TemplateSubmission, signal: AbortSignal): Promise<void> {
      await client.call('POST', base, signal, {
        json: {
          channelId: template.senderId,
          templateCode: template.code,
          templateName: template.name,
          content: template.body,
          messageType: 'BA',
          emphasizeType: 'NONE',
          // Kakao's "기타" (other) category; herald has no category of its own to map.
          categoryCode: '999999',
          buttons: template.buttons.map((button, index) => ({ order: index + 1, ...toSensButton(button) })),
        },
      });
    },
  };
}

function templateOf(wire: SensTemplateWire): VendorTemplate {
  const state = stateOf(wire.templateInspectionStatus);
  const reason = state === 'rejected' ? lastComment(wire.comments) : undefined;
  return {
    code: String(wire.templateCode ?? ''),
    name: String(wire.templateName ?? ''),
    body: String(wire.content ?? ''),
    buttons: Array.isArray(wire.buttons) ? (wire.buttons as Record<string, unknown>[]).map(buttonOf) : [],
    state,
    ...(reason ? { rejectedReason: reason } : {}),
  };
}

function buttonOf(wire: Record<string, unknown>): KakaoButton {
  const text = (key: string) =>
    typeof wire[key] === 'string' && wire[key] !== '' ? { [key]: wire[key] } : {};
  return {
    type: String(wire.type ?? ''),
    name: String(wire.name ?? ''),
    ...text('linkMobile'),
    ...text('linkPc'),
    ...text('schemeIos'),
    ...text('schemeAndroid'),
  };
}

/** Kakao's reviewer writes the reason of a rejection as the template's latest comment. */
function lastComment(comments: unknown): string | undefined {
  if (!Array.isArray(comments) || comments.length === 0) return undefined;
  const content = (comments.at(-1) as { content?: unknown }).content;
  return typeof content === 'string' ? content : undefined;
}
