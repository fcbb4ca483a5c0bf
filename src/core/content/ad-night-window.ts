/**
 * The night window of Korean advertising law (정보통신망법 §50③): an ad sent between 21:00 and
 * 08:00 needs the recipient's separate prior consent for night ads. Times are Korean Standard Time,
 * UTC+9 all year: Korea has had no daylight saving time since 1988, so a fixed offset is exact.
 */
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const KST_OFFSET_MS = 9 * HOUR_MS;
/** 08:00 KST: the first sendable moment of a day. */
const WINDOW_END_MS = 8 * HOUR_MS;
/** 21:00 KST: from here on (inclusive) an ad waits for the next morning. */
const WINDOW_START_MS = 21 * HOUR_MS;

/**
 * When an ad may be sent, as epoch ms: undefined when `now` is outside the night window (sendable
 * now), else the next 08:00 KST (the same day before 08:00, the next day from 21:00).
 */
export function nextSendableAt(now: number): number | undefined {
  const kst = now + KST_OFFSET_MS;
  const kstMidnight = Math.floor(kst / DAY_MS) * DAY_MS;
  const timeOfDay = kst - kstMidnight;
  if (timeOfDay < WINDOW_END_MS) return kstMidnight + WINDOW_END_MS - KST_OFFSET_MS;
  if (timeOfDay >= WINDOW_START_MS) return kstMidnight + DAY_MS + WINDOW_END_MS - KST_OFFSET_MS;
  return undefined;
}

/** `2026-01-16 08:00 KST`, for messages people read. */
export function formatKst(at: number): string {
  const iso = new Date(at + KST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} KST`;
}
