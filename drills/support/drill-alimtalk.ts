import { derivedId } from '../../src/core/identity/ids.ts';
import type { TestResponse } from '../../test/support/herald-harness.ts';
import { registerApprovedTemplateOverHttp } from '../../test/support/templates.ts';
import { type DeliveryTally, type DrillSimulator, deliveries, tallyDeliveries } from './drill-simulator.ts';
import { type FloodOptions, type FloodResult, messageIdsOf } from './flood.ts';
import { vendorAccepted } from './vendor-accepted.ts';
import { sleep } from './verdict.ts';

/**
 * AlimTalk in a drill's flood: the template every AlimTalk request of the flood uses, approved for
 * the drill's client before the flood, and a Kakao audience in which a share of the recipients
 * cannot be reached, so the drill also exercises Kakao's result look-ups and herald's fallback SMS
 * (대체발송) through the fault.
 */
const TEMPLATE = {
  code: 'DRILL_SHIPPED',
  name: '출발 안내',
  body: '#{name}님, 주문하신 상품이 출발했습니다.',
  fallbackBody: '#{name}님 상품 출발',
};

/** What a drill's flood adds to carry AlimTalk: a quarter of its requests, with the drill's template. */
export const ALIMTALK_FLOOD = {
  alimtalkShare: 0.25,
  alimtalkTemplate: { code: TEMPLATE.code, vars: { name: '김민수' } },
} satisfies Partial<FloodOptions>;

/** A fifth of the recipients cannot get an AlimTalk: half not KakaoTalk users, half blocked the channel. */
const UNREACHABLE_SHARES = { notKakaoUser: 0.1, blocked: 0.1, inactive: 0 };

/** herald's API as the drill's client calls it (the harness's call, bound to a URL and key). */
type Call = (method: string, path: string, body?: unknown) => Promise<Pick<TestResponse, 'status' | 'body'>>;

/**
 * Registers and approves the drill's template for the client `call` speaks for (herald first, then
 * submitted to every AlimTalk vendor of the simulator), and sets the simulator's Kakao audience.
 */
export async function prepareAlimtalk(call: Call, sim: DrillSimulator): Promise<void> {
  const clientId = (await call('GET', '/v1/sender-numbers')).body.clientId as string;
  await registerApprovedTemplateOverHttp(call, { clientId, ...TEMPLATE });
  const audience = await fetch(`${sim.url}/_sim/kakao/audience`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shares: UNREACHABLE_SHARES }),
  });
  if (!audience.ok) throw new Error(`PUT /_sim/kakao/audience: ${audience.status} ${await audience.text()}`);
}

type Entry = { messageId: string; status: string; fallback?: { messageId: string; status: string } };

/** Where each AlimTalk message of a flood ended, in history and at the simulator. */
export interface AlimtalkOutcome {
  /** AlimTalk messages herald accepted (202). */
  readonly accepted: number;
  /** AlimTalk messages the request views of history show. */
  readonly messages: number;
  /** The ids of those AlimTalk messages and of their fallbacks. */
  readonly ids: ReadonlySet<string>;
  readonly delivered: number;
  /** Undelivered by Kakao, its fallback SMS sent. */
  readonly undelivered: number;
  /** Neither delivered nor undelivered with its fallback sent when the wait ended. */
  readonly unfinished: number;
  /** Where the unfinished ones stood, by status (`undelivered+fallback queued`...), to tell why. */
  readonly unfinishedStates: Readonly<Record<string, number>>;
  /** The AlimTalk messages themselves, as the simulator saw them. */
  readonly sends: DeliveryTally;
  /** The fallback SMS of the undelivered ones, as the simulator saw them. */
  readonly fallbacks: DeliveryTally;
  /**
   * Fallbacks other than the one history links: for a delivered message (it needs none), or under
   * another id than its one. herald derives a fallback's id from its AlimTalk message's, so a
   * second fallback made for one message would be this id delivered twice (a duplicate, in
   * `fallbacks`), never a second id.
   */
  readonly strayFallbacks: number;
}

/** The outcome, judged: the broken promises, and the verdict's words and figures for it. */
export interface AlimtalkVerdict extends AlimtalkOutcome {
  readonly broken: readonly string[];
  readonly line: string;
  readonly figures: Readonly<Record<string, number>>;
}

/**
 * Waits until every AlimTalk message the flood got accepted is delivered, or undelivered with its
 * fallback sent (or the time is up), by the request views of history, then counts the AlimTalk
 * messages' and the fallbacks' deliveries at the simulator, and judges them.
 */
export async function settleAlimtalk(
  call: Call,
  sim: DrillSimulator,
  result: FloodResult,
  timeoutMs: number,
): Promise<AlimtalkVerdict> {
  const outcome = await settle(call, sim, result, timeoutMs);
  return { ...outcome, broken: broken(outcome), line: line(outcome), figures: figures(outcome) };
}

async function settle(
  call: Call,
  sim: DrillSimulator,
  result: FloodResult,
  timeoutMs: number,
): Promise<AlimtalkOutcome> {
  const requests = result.submissions.filter((s) => s.kind === 'alimtalk' && s.requestId !== undefined);
  const deadline = Date.now() + timeoutMs;
  let entries: Entry[] = [];
  for (;;) {
    entries = [];
    for (const request of requests) {
      const view = await call('GET', `/v1/requests/${request.requestId}`);
      entries.push(...((view.body?.messages ?? []) as Entry[]));
    }
    if (entries.every(finished) || Date.now() > deadline) break;
    await sleep(1_000);
  }
  // A late duplicate of a fallback (its check or send redone) shows a moment after the first.
  await sleep(2_000);
  const undelivered = entries.filter((e) => e.status === 'undelivered' && vendorAccepted(e.fallback?.status));
  const linked = undelivered.map((e) => e.fallback!.messageId);
  const strayFallbacks = entries.filter((e) =>
    e.status === 'delivered'
      ? deliveries(sim, derivedFallbackId(e)) > 0
      : e.fallback !== undefined && e.fallback.messageId !== derivedFallbackId(e),
  ).length;
  return {
    accepted: messageIdsOf(result, 'alimtalk').length,
    messages: entries.length,
    ids: new Set([...entries.map((e) => e.messageId), ...linked]),
    delivered: entries.filter((e) => e.status === 'delivered').length,
    undelivered: undelivered.length,
    unfinished: entries.filter((e) => !finished(e)).length,
    unfinishedStates: countBy(entries.filter((e) => !finished(e)).map(stateOf)),
    sends: tallyDeliveries(
      sim,
      entries.map((e) => e.messageId),
    ),
    fallbacks: tallyDeliveries(sim, linked),
    strayFallbacks,
  };
}

/** An entry's status, with its fallback's when it has one. */
function stateOf(entry: Entry): string {
  return entry.fallback === undefined ? entry.status : `${entry.status}+fallback ${entry.fallback.status}`;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function finished(entry: Entry): boolean {
  if (entry.status === 'delivered') return entry.fallback === undefined;
  return entry.status === 'undelivered' && vendorAccepted(entry.fallback?.status);
}

function derivedFallbackId(entry: Entry): string {
  return derivedId(entry.messageId, 'alimtalk-fallback');
}

/** The promises about AlimTalk a drill checks, in words, each broken one. */
function broken(outcome: AlimtalkOutcome): string[] {
  const broken: string[] = [];
  if (outcome.messages !== outcome.accepted) {
    broken.push(`history shows ${outcome.messages} of ${outcome.accepted} accepted AlimTalk messages`);
  }
  if (outcome.unfinished > 0) {
    broken.push(
      `${outcome.unfinished} AlimTalk neither delivered nor undelivered with a fallback sent ` +
        `(${JSON.stringify(outcome.unfinishedStates)})`,
    );
  }
  if (outcome.undelivered === 0) broken.push('no AlimTalk fell back to SMS: the fallback was not drilled');
  if (outcome.fallbacks.lost > 0) broken.push(`${outcome.fallbacks.lost} fallback SMS lost`);
  if (outcome.strayFallbacks > 0) broken.push(`${outcome.strayFallbacks} AlimTalk with a stray fallback`);
  return broken;
}

/** The verdict's words for it. */
function line(o: AlimtalkOutcome): string {
  return (
    `AlimTalk: ${o.messages} (${o.sends.endUserDuplicates} delivered twice; ${o.delivered} delivered, ` +
    `${o.undelivered} undelivered with ` +
    `${o.fallbacks.sent} fallback SMS sent, ${o.fallbacks.endUserDuplicates} fallback duplicates, ` +
    `${o.fallbacks.lost} lost, ${o.strayFallbacks} stray)`
  );
}

/** The verdict's figures for it. */
function figures(o: AlimtalkOutcome): Record<string, number> {
  return {
    alimtalkMessages: o.messages,
    alimtalkDelivered: o.delivered,
    alimtalkUndelivered: o.undelivered,
    alimtalkUnfinished: o.unfinished,
    alimtalkDuplicates: o.sends.endUserDuplicates,
    fallbacksSent: o.fallbacks.sent,
    fallbacksLost: o.fallbacks.lost,
    fallbackDuplicates: o.fallbacks.endUserDuplicates,
    strayFallbacks: o.strayFallbacks,
  };
}
