import { eucKrByteLength, findNonEucKr } from '../../core/content/euc-kr.ts';
import type { TextSimulation } from '../text/text-simulation.ts';

/** A send body SENS took: its recipients, in order, and what its result look-up reports of it. */
export interface SensSmsSend {
  readonly to: readonly string[];
  readonly type: string;
  readonly contentType: string;
  readonly from: string;
}

/** SENS' limits (sens-sms-send): messages <= 100; EUC-KR bytes: subject 40, SMS 90, LMS/MMS 2000. */
export const SENS_MAX_MESSAGES = 100;
const CONTENT_BYTES: Readonly<Record<string, number>> = { SMS: 90, LMS: 2000, MMS: 2000 };
const SUBJECT_BYTES = 40;
const DIGITS = /^\d{3,20}$/;

/**
 * The checks SENS makes of `POST /sms/v2/services/{serviceId}/messages` (sens-sms-send): type,
 * contentType, from registered in the console, content and per-message overrides within the
 * type's byte limits and in EUC-KR, 1..100 messages with digit-only numbers, files only on MMS
 * and each an unexpired upload of this project. Returns the problems, or the send.
 */
export function checkSensSms(
  body: unknown,
  vendorId: string,
  text: TextSimulation,
): { ok: true; send: SensSmsSend } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const type = b.type;
  if (type !== 'SMS' && type !== 'LMS' && type !== 'MMS') problems.push('type must be SMS, LMS or MMS');
  if (b.contentType !== undefined && b.contentType !== 'COMM' && b.contentType !== 'AD') {
    problems.push('contentType must be COMM or AD');
  }
  if (typeof b.from !== 'string' || !DIGITS.test(b.from)) problems.push('from must be digits');
  else if (!text.senderNumbers.allows(vendorId, b.from))
    problems.push('from is not a registered calling number');
  const limit = CONTENT_BYTES[String(type)] ?? 90;
  textProblem(b.content, 'content', limit, true, problems);
  if (b.subject !== undefined) {
    if (type === 'SMS') problems.push('subject is only for LMS and MMS');
    textProblem(b.subject, 'subject', SUBJECT_BYTES, false, problems);
  }
  const messages = Array.isArray(b.messages) ? (b.messages as unknown[]) : [];
  if (messages.length < 1 || messages.length > SENS_MAX_MESSAGES)
    problems.push('messages must have 1 to 100 entries');
  const to: string[] = [];
  messages.slice(0, SENS_MAX_MESSAGES).forEach((entry, index) => {
    const m = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof m.to !== 'string' || !DIGITS.test(m.to)) problems.push(`messages[${index}].to must be digits`);
    else to.push(m.to);
    if (m.content !== undefined) textProblem(m.content, `messages[${index}].content`, limit, false, problems);
    if (m.subject !== undefined)
      textProblem(m.subject, `messages[${index}].subject`, SUBJECT_BYTES, false, problems);
  });
  if (b.files !== undefined) {
    if (type !== 'MMS') problems.push('files are only for MMS');
    const files = Array.isArray(b.files) ? (b.files as { fileId?: unknown }[]) : [];
    files.forEach((file, index) => {
      if (
        typeof file?.fileId !== 'string' ||
        text.files.get(vendorId, file.fileId, text.now()) === undefined
      ) {
        problems.push(`files[${index}].fileId is unknown or expired`);
      }
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const contentType = b.contentType === 'AD' ? 'AD' : 'COMM';
  return { ok: true, send: { to, type: String(type), contentType, from: String(b.from) } };
}

function textProblem(
  value: unknown,
  field: string,
  maxBytes: number,
  required: boolean,
  problems: string[],
): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string`);
    return;
  }
  const foreign = findNonEucKr(value);
  if (foreign !== undefined) problems.push(`${field} has a character outside EUC-KR (${foreign.codePoint})`);
  else if (eucKrByteLength(value) > maxBytes) problems.push(`${field} is over ${maxBytes} bytes`);
}
