import { cutToEucKrBytes } from '../../core/content/euc-kr.ts';

/** SENS' limits in EUC-KR bytes (sens-sms-send: subject 40, SMS content 90, LMS/MMS content 2000). */
export const SENS_SUBJECT_BYTES = 40;

/**
 * The subject an LMS/MMS goes with when the message has none: the body's first non-empty line,
 * cut to SENS' 40 bytes (a phone shows the subject above the body, so its opening words are
 * the least surprising title).
 */
export function defaultSubject(body: string): string {
  const firstLine =
    body
      .split(/\r?\n/)
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  return cutToEucKrBytes(firstLine, SENS_SUBJECT_BYTES);
}

/**
 * A time as SENS writes it ("yyyy-MM-dd HH:mm:ss[.SSS]", Korea time, sens-alimtalk-get), as epoch
 * ms; undefined when it is not one.
 */
export function parseSensTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match.map(Number) as number[];
  const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, Number.isNaN(ms) ? 0 : (ms ?? 0));
  return utc - KST_OFFSET_MS;
}

/** Epoch ms as SENS writes times ("yyyy-MM-dd HH:mm:ss", Korea time). */
export function formatSensTime(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const KST_OFFSET_MS = 9 * 3_600_000;
