import type {
  TemplateSubmission,
  VendorTemplate,
  VendorTemplateApi,
  VendorTemplateState,
} from '../../ports/vendor.ts';
import type { SolapiApi } from './solapi-api.ts';
import { fromSolapiButton, toSolapiButton } from './solapi-kakao-buttons.ts';
import type { SolapiButton } from './solapi-send.ts';

/**
 * The Kakao category a template is filed under when herald registers one. SOLAPI requires one
 * (createKakaoAlimtalkTemplateRequest.ts categoryCode; the codes come from
 * GET /kakao/v2/templates/categories); 999999 is Kakao's 기타 (other).
 */
export const SOLAPI_DEFAULT_CATEGORY = '999999';

/** Pages of the list walked at most (100 templates each): a channel has far fewer. */
const MAX_PAGES = 50;

/** A template as GET /kakao/v2/templates lists it (solapi-nodejs kakaoAlimtalkTemplate.ts). */
interface SolapiTemplate {
  readonly templateId?: string;
  readonly name?: string;
  readonly content?: string;
  readonly buttons?: readonly Partial<SolapiButton>[];
  readonly status?: string;
  readonly comments?: readonly { readonly isAdmin?: boolean; readonly content?: string | null }[];
}

interface TemplateListResponse {
  readonly templateList?: readonly SolapiTemplate[];
  readonly nextKey?: string | null;
}

/**
 * SOLAPI's AlimTalk template API (solapi-nodejs src/services/kakao/templates/kakaoTemplateService.ts):
 * `GET /kakao/v2/templates?channelId=&limit=&startKey=` walked by nextKey, and
 * `POST /kakao/v2/templates {name, content, categoryCode, channelId, buttons}`. SOLAPI gives a new
 * template its own id (templateId), which is the template's code at SOLAPI; names are unique per
 * account, so a submitted template is found again in the list by its name.
 */
export function solapiTemplateApi(api: SolapiApi): VendorTemplateApi {
  return {
    list: async (senderId, signal) => {
      const templates: VendorTemplate[] = [];
      let startKey: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const query = new URLSearchParams({ channelId: senderId, limit: '100' });
        if (startKey !== undefined) query.set('startKey', startKey);
        const body = (await api.call('GET', `/kakao/v2/templates?${query}`, undefined, signal)) as
          | TemplateListResponse
          | undefined;
        for (const template of body?.templateList ?? []) templates.push(toVendorTemplate(template));
        if (!body?.nextKey) break;
        startKey = body.nextKey;
      }
      return templates;
    },
    submit: async (template: TemplateSubmission, signal) => {
      await api.call(
        'POST',
        '/kakao/v2/templates',
        {
          name: template.name,
          content: template.body,
          categoryCode: SOLAPI_DEFAULT_CATEGORY,
          channelId: template.senderId,
          buttons: template.buttons.map(toSolapiButton),
        },
        signal,
      );
    },
  };
}

/** SOLAPI's review states (PENDING 대기, INSPECTING 검수중, APPROVED, REJECTED) in herald's words. */
function stateOf(status: string | undefined): VendorTemplateState {
  if (status === 'APPROVED') return 'approved';
  if (status === 'REJECTED') return 'rejected';
  return 'requested';
}

function toVendorTemplate(template: SolapiTemplate): VendorTemplate {
  const state = stateOf(template.status);
  // Kakao's reviewer explains a rejection in an admin comment.
  const reason = [...(template.comments ?? [])].reverse().find((comment) => comment.isAdmin)?.content;
  return {
    code: template.templateId ?? '',
    name: template.name ?? '',
    body: template.content ?? '',
    buttons: (template.buttons ?? []).map(fromSolapiButton),
    state,
    ...(state === 'rejected' && reason ? { rejectedReason: reason } : {}),
  };
}
