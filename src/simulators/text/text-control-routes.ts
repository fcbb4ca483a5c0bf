import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError, readBody } from '../http-io.ts';
import {
  BODY_LIMIT_BYTES,
  error,
  ok,
  type Route,
  type RouteResult,
  type SimulatorRouteContext,
} from '../sim-route.ts';
import { UnknownVendorError } from '../simulator-fleet.ts';
import { KAKAO_OUTCOMES, type KakaoOutcome } from './kakao-audience.ts';
import { patchReceiptMix } from './receipt-mix.ts';
import type { SimTemplateState } from './vendor-templates.ts';

/**
 * Controls of the Korean text vendors' side, for tests, drills and benches: who is not a KakaoTalk
 * user, which sender numbers and Kakao channels each vendor has on record, a template changed at
 * one vendor (as its reviewer or console would), how long Kakao's results take, and how often an
 * image was uploaded.
 *
 *   GET  /_sim/kakao/audience                         -> {shares}
 *   PUT  /_sim/kakao/audience  {shares?: {notKakaoUser, blocked, inactive}, numbers?: {"3019": [...]}}
 *   PUT  /_sim/vendors/:id/sender-numbers  {numbers: [...] | null}    (null: any number)
 *   PUT  /_sim/vendors/:id/kakao-senders   {senders: [...] | null}    (null: any channel id)
 *   GET  /_sim/vendors/:id/templates                  -> {templates}
 *   PUT  /_sim/vendors/:id/templates/:code {name?, senderId, body, buttons?, state?, rejectedReason?}
 *   PUT  /_sim/text/settings {autoApproveTemplates?: boolean, resultDelayMs?: number,
 *        carrierMix?: {SKT, KT, "LGU+", MVNO} (weights), undeliveredShare?: 0..1, receiptSeed?: int,
 *        lookUpRateLimitPerSecond?: {"<vendorId>": number | null}}
 *   PUT  /_sim/vendors/:id/webhook  {url: "http://..." | null}   (SOLAPI's message reports)
 *   GET  /_sim/vendors/:id/uploads                    -> {uploads}
 */
export const TEXT_CONTROL_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: ['_sim', 'kakao', 'audience'],
    handle: async (context) => ok({ shares: context.text.kakao.shares }),
  },
  { method: 'PUT', pattern: ['_sim', 'kakao', 'audience'], handle: putAudience },
  {
    method: 'PUT',
    pattern: ['_sim', 'vendors', ':vendorId', 'sender-numbers'],
    handle: async (context, request, [vendorId]) => {
      const list = await stringListOrNull(request, 'numbers');
      if (typeof list === 'string') return error(400, 'BAD_REQUEST', list);
      context.text.senderNumbers.set(requireVendor(context, vendorId!), list);
      return ok({ numbers: list });
    },
  },
  {
    method: 'PUT',
    pattern: ['_sim', 'vendors', ':vendorId', 'kakao-senders'],
    handle: async (context, request, [vendorId]) => {
      const list = await stringListOrNull(request, 'senders');
      if (typeof list === 'string') return error(400, 'BAD_REQUEST', list);
      context.text.kakaoSenders.set(requireVendor(context, vendorId!), list);
      return ok({ senders: list });
    },
  },
  {
    method: 'GET',
    pattern: ['_sim', 'vendors', ':vendorId', 'templates'],
    handle: async (context, _request, [vendorId]) =>
      ok({ templates: context.text.templates.list(requireVendor(context, vendorId!)) }),
  },
  { method: 'PUT', pattern: ['_sim', 'vendors', ':vendorId', 'templates', ':code'], handle: putTemplate },
  { method: 'PUT', pattern: ['_sim', 'text', 'settings'], handle: putSettings },
  { method: 'PUT', pattern: ['_sim', 'vendors', ':vendorId', 'webhook'], handle: putWebhook },
  {
    method: 'GET',
    pattern: ['_sim', 'vendors', ':vendorId', 'uploads'],
    handle: async (context, _request, [vendorId]) =>
      ok({ uploads: context.text.files.count(requireVendor(context, vendorId!)) }),
  },
];

async function putAudience(context: SimulatorRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const body = await jsonBody(request);
  if (body === undefined) return error(400, 'BAD_REQUEST', 'The body is not a JSON object');
  const { shares, numbers } = body as { shares?: unknown; numbers?: unknown };
  if (numbers !== undefined) {
    if (!isRecord(numbers))
      return error(400, 'BAD_REQUEST', 'numbers must map a Kakao code to phone numbers');
    for (const [code, list] of Object.entries(numbers)) {
      if (!(KAKAO_OUTCOMES as readonly string[]).includes(code) || !isStringList(list)) {
        return error(
          400,
          'BAD_REQUEST',
          `numbers.${code}: codes are ${KAKAO_OUTCOMES.join(', ')}, each a list`,
        );
      }
    }
  }
  if (shares !== undefined) {
    if (!isRecord(shares)) return error(400, 'BAD_REQUEST', 'shares must be an object');
    try {
      context.text.kakao.setShares(shares);
    } catch (cause) {
      return error(400, 'BAD_REQUEST', (cause as Error).message);
    }
  }
  for (const [code, list] of Object.entries((numbers ?? {}) as Record<string, string[]>)) {
    context.text.kakao.mark(list, code as KakaoOutcome);
  }
  return ok({ shares: context.text.kakao.shares });
}

const STATES: readonly SimTemplateState[] = ['requested', 'approved', 'rejected'];

async function putTemplate(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  [vendorId, code]: string[],
): Promise<RouteResult> {
  const id = requireVendor(context, vendorId!);
  const body = await jsonBody(request);
  if (body === undefined) return error(400, 'BAD_REQUEST', 'The body is not a JSON object');
  const { name, senderId, state, rejectedReason, buttons } = body as Record<string, unknown>;
  const earlier = context.text.templates.get(id, code!);
  const text = body.body ?? earlier?.body;
  const channel = senderId ?? earlier?.senderId;
  if (typeof text !== 'string' || text === '')
    return error(400, 'BAD_REQUEST', 'body must be a non-empty string');
  if (typeof channel !== 'string' || channel === '')
    return error(400, 'BAD_REQUEST', 'senderId must be a string');
  if (state !== undefined && !STATES.includes(state as SimTemplateState)) {
    return error(400, 'BAD_REQUEST', `state must be one of ${STATES.join(', ')}`);
  }
  if (buttons !== undefined && !Array.isArray(buttons))
    return error(400, 'BAD_REQUEST', 'buttons must be a list');
  const stored = context.text.templates.put(id, {
    code: code!,
    name: typeof name === 'string' ? name : (earlier?.name ?? code!),
    senderId: channel,
    body: text,
    buttons: (buttons as never[] | undefined) ?? earlier?.buttons ?? [],
    state: (state as SimTemplateState | undefined) ?? earlier?.state,
    ...(typeof rejectedReason === 'string' ? { rejectedReason } : {}),
  });
  return ok({ template: stored });
}

async function putSettings(context: SimulatorRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const body = await jsonBody(request);
  if (body === undefined) return error(400, 'BAD_REQUEST', 'The body is not a JSON object');
  const { autoApproveTemplates, resultDelayMs, lookUpRateLimitPerSecond } = body;
  if (autoApproveTemplates !== undefined && typeof autoApproveTemplates !== 'boolean') {
    return error(400, 'BAD_REQUEST', 'autoApproveTemplates must be a boolean');
  }
  if (resultDelayMs !== undefined && !(typeof resultDelayMs === 'number' && resultDelayMs >= 0)) {
    return error(400, 'BAD_REQUEST', 'resultDelayMs must be a number >= 0');
  }
  const limits = lookUpLimitsOf(context, lookUpRateLimitPerSecond);
  if (typeof limits === 'string') return error(400, 'BAD_REQUEST', limits);
  const mix = patchReceiptMix(context.text.results.mix, body);
  if (typeof mix === 'string') return error(400, 'BAD_REQUEST', mix);
  if (autoApproveTemplates !== undefined) context.text.templates.autoApprove = autoApproveTemplates;
  if (resultDelayMs !== undefined) context.text.results.resultDelayMs = resultDelayMs;
  context.text.results.mix = mix;
  for (const [vendorId, limit] of limits) context.text.lookUps.set(vendorId, limit);
  return ok({
    autoApproveTemplates: context.text.templates.autoApprove,
    resultDelayMs: context.text.results.resultDelayMs,
    carrierMix: mix.carriers,
    undeliveredShare: mix.undeliveredShare,
    receiptSeed: mix.seed,
  });
}

/** `{vendorId: calls a second | null}`, or what is wrong with it. */
function lookUpLimitsOf(context: SimulatorRouteContext, value: unknown): [string, number | null][] | string {
  if (value === undefined) return [];
  const problem = 'lookUpRateLimitPerSecond must map vendor ids to a number > 0 or null';
  if (!isRecord(value)) return problem;
  const entries = Object.entries(value);
  for (const [vendorId, limit] of entries) {
    requireVendor(context, vendorId);
    if (limit !== null && !(typeof limit === 'number' && limit > 0)) return problem;
  }
  return entries as [string, number | null][];
}

async function putWebhook(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  [vendorId]: string[],
): Promise<RouteResult> {
  const id = requireVendor(context, vendorId!);
  const url = (await jsonBody(request))?.url;
  if (url === null) {
    context.text.webhooks.delete(id);
    return ok({ url: null });
  }
  if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
    return error(400, 'BAD_REQUEST', 'url must be an http(s) URL, or null');
  }
  context.text.webhooks.set(id, url);
  return ok({ url });
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse((await readBody(request, BODY_LIMIT_BYTES)).toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch (cause) {
    if (cause instanceof PayloadTooLargeError) throw cause;
    return undefined;
  }
}

/** The list under `field`, null, or a message saying what is wrong. */
async function stringListOrNull(request: IncomingMessage, field: string): Promise<string[] | null | string> {
  const body = await jsonBody(request);
  const list = body?.[field];
  if (list === null) return null;
  return isStringList(list) ? list : `${field} must be a list of non-empty strings, or null`;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireVendor(context: SimulatorRouteContext, vendorId: string): string {
  if (context.fleet.vendor(vendorId) === undefined) throw new UnknownVendorError(vendorId);
  return vendorId;
}
