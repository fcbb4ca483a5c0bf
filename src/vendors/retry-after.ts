/**
 * Reads a Retry-After header (RFC 9110 §10.2.3): either whole seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). Returns ms to wait, 0 for a date already past, and undefined
 * when the header is absent or malformed, so the caller falls back to its own backoff.
 */
export function parseRetryAfterMs(
  value: string | readonly string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // Every HTTP date form starts with a day name; without this check, Date.parse would read "-5"
  // or "1.5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
