import { ENGINE_URLS } from '../../test/support/engines.ts';
import type { CountingHttpProxy } from './counting-http-proxy.ts';
import { messageKeys, reservedKeys } from './dedup-states.ts';

/**
 * A victim's messages whose vendor outcome it never made durable, counted when it was killed. The
 * figures count messages, not calls: one text vendor call may carry many (a bulk send).
 */
export interface InFlightAtKill {
  /**
   * Messages in calls open at the kill (the proxy had not answered them): text (SMS, AlimTalk and
   * fallback SMS, generic or text vendors) and push.
   */
  readonly open: { readonly text: number; readonly push: number };
  /** herald's message ids in the text vendors' calls open at the kill (to tell SMS from AlimTalk). */
  readonly openTextIds: readonly string[];
  /** Messages in calls that reached the proxy after the kill: on the wire when the process died. */
  readonly late: number;
  /** Messages answered whose outcome was not yet durable (dedup key still only reserved). */
  readonly answeredNotDurable: { readonly text: number; readonly push: number };
  /** Calls answered in the second before the kill (for the verdict line). */
  readonly answeredLastSecond: number;
  /** Calls the victim had made before the kill. */
  readonly calls: number;
}

/**
 * How far back an answered call may still be undurable: its key stays reserved until the batch's
 * events are acknowledged, and under the flood that took longer than the 5 s this once was (the
 * full drill counted 127 text duplicates against 123 in flight). Only answers whose key is still
 * reserved at the kill count, so looking further back adds no durable message.
 */
const ANSWERED_LOOKBACK_MS = 60_000;

/**
 * Kills the victim and counts what it had in flight. Answered calls count as in flight too while
 * their outcome is not durable: the victim had not yet produced its events and confirmed the key.
 * Answered calls are looked at back to ANSWERED_LOOKBACK_MS before the kill. The dedup store is
 * read at once after the kill; the keys of the messages in the calls (which carry message ids)
 * come afterwards from history, once the history writer has applied the requests that accepted them.
 */
export async function killAndCount(
  proxy: CountingHttpProxy,
  kill: () => Promise<void>,
  namespace: string,
  redisUrl: string,
): Promise<InFlightAtKill> {
  const killedAt = Date.now();
  const calls = proxy.forwarded;
  const messages = proxy.forwardedMessages;
  const recent = proxy.openOrAnsweredSince(killedAt - ANSWERED_LOOKBACK_MS);
  const answeredLastSecond = proxy.answeredSince(killedAt - 1_000) - proxy.answeredSince(killedAt);
  await kill();
  const reserved = await reservedKeys(redisUrl, namespace);
  const open = {
    text: recent.open.keys.length + recent.open.textMessageIds.length,
    push: recent.open.pushMessageIds.length,
  };
  // Text vendors' calls carry message ids: their keys are in history.
  const openTextKeys = await messageKeys(ENGINE_URLS.postgres, namespace, recent.open.textMessageIds);
  const answeredTextKeys = await messageKeys(ENGINE_URLS.postgres, namespace, recent.answered.textMessageIds);
  const openKeys = new Set([...recent.open.keys, ...openTextKeys]);
  const reservedText = [...recent.answered.keys, ...answeredTextKeys].filter((key) => reserved.has(key));
  const openPushKeys = new Set(
    await messageKeys(ENGINE_URLS.postgres, namespace, recent.open.pushMessageIds),
  );
  const answeredPushKeys = await messageKeys(ENGINE_URLS.postgres, namespace, recent.answered.pushMessageIds);
  const reservedPush = answeredPushKeys.filter((key) => reserved.has(key));
  // Requests already on the wire when the process died still reach the proxy: in flight too.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return {
    open,
    openTextIds: recent.open.textMessageIds,
    late: proxy.forwardedMessages - messages,
    answeredNotDurable: {
      text: new Set(reservedText.filter((key) => !openKeys.has(key))).size,
      push: new Set(reservedPush.filter((key) => !openPushKeys.has(key))).size,
    },
    answeredLastSecond,
    calls,
  };
}
