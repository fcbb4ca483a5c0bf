/**
 * The registration-date windows NHN's result list is searched by (SMSDOC `api-guide.md` v3.0
 * "단문 SMS 발송목록 검색": `startCreateDate` + `endCreateDate`, `yyyy-MM-dd HH:mm:ss`, Korean
 * time). Each message gets the span its registration (createDate) must lie in; spans that overlap
 * are merged, so messages sent close together cost one search.
 */

/** Korea Standard Time: UTC+9, no daylight saving. */
const KST_OFFSET_MS = 9 * 3_600_000;

/**
 * NHN's requestId starts with the KST second it registered the request (SMSDOC's examples:
 * requestId `20180810100630ReZQ6KZzAH0`, requestDate `2018-08-10 10:06:30.0`): NHN's own clock, so
 * no clock difference to allow for. The id is made when the request arrives, so its registration
 * (createDate) is stamped in that second or, a moment later, the next one: the window starts at the
 * stamp and allows one second after it, never before. A margin before it would be read first, rows
 * being in registration order: a whole second of a flood's rows (already answered, or another
 * look-up's) read and thrown away before the first one asked for. A row outside the window is
 * still found by its requestId's list within the look-up's budget.
 */
export const STAMP_MARGIN_MS = 1_000;
/**
 * Without a usable stamp, herald's send time: NHN registered the request while herald's send was
 * in flight, so before `sentAt` by up to the send's duration (the vendor time limit, 5 s by
 * default) plus the difference of the two clocks (NTP keeps servers well under a second apart);
 * after it by the clock difference alone. Wider margins would be safer but cost pages: every
 * message registered in the margin before the first one asked for is read and thrown away.
 */
export const SENT_BEFORE_MS = 15_000;
export const SENT_AFTER_MS = 5_000;

/** Epoch ms, both ends inclusive. */
export interface CreateSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * Where a message's createDate lies: around its requestId's stamp when that agrees with herald's
 * send time (within the send-time margins: a stamp of another format or time zone does not), else
 * around the send time.
 */
export function createSpanOf(requestId: string, sentAt: number): CreateSpan {
  const stamp = requestIdStamp(requestId);
  if (stamp !== undefined && stamp >= sentAt - SENT_BEFORE_MS && stamp <= sentAt + SENT_AFTER_MS) {
    return { from: stamp, to: stamp + 1_000 + STAMP_MARGIN_MS };
  }
  return { from: sentAt - SENT_BEFORE_MS, to: sentAt + SENT_AFTER_MS };
}

function requestIdStamp(requestId: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(requestId);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const at = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}+09:00`);
  return Number.isNaN(at) ? undefined : at;
}

/** The items by merged span, earliest first; an item's span lies within its window's. */
export function mergedWindows<T extends { readonly span: CreateSpan }>(
  items: readonly T[],
): { window: CreateSpan; items: T[] }[] {
  const sorted = [...items].sort((a, b) => a.span.from - b.span.from);
  const windows: { window: CreateSpan; items: T[] }[] = [];
  for (const item of sorted) {
    const last = windows.at(-1);
    if (last !== undefined && item.span.from <= last.window.to) {
      last.window = { from: last.window.from, to: Math.max(last.window.to, item.span.to) };
      last.items.push(item);
    } else {
      windows.push({ window: item.span, items: [item] });
    }
  }
  return windows;
}

/**
 * The search's query for a window: whole seconds, the start rounded down and the end up, so the
 * window holds its span however NHN compares a second with its millisecond dates.
 */
export function createDateQuery(window: CreateSpan): string {
  const start = kstSecond(window.from);
  const end = kstSecond(Math.ceil(window.to / 1_000) * 1_000);
  return `startCreateDate=${encodeURIComponent(start)}&endCreateDate=${encodeURIComponent(end)}`;
}

/** `yyyy-MM-dd HH:mm:ss` in Korean time, the millisecond dropped. */
export function kstSecond(epochMs: number): string {
  const iso = new Date(epochMs + KST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
