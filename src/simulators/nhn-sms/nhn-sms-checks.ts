import { eucKrByteLength, findNonEucKr } from '../../core/content/euc-kr.ts';

/** What NHN sends for: SMS or LMS/MMS, ordinary or advertising. */
export interface NhnSendKind {
  readonly type: 'sms' | 'mms';
  readonly ad: boolean;
}

export interface NhnRecipientRequest {
  readonly recipientNo: string;
  readonly recipientGroupingKey?: string;
}

/** A send body that passed the whole-call checks. */
export interface NhnSendRequest {
  readonly body: string;
  readonly sendNo: string;
  readonly title?: string;
  /** The caller's tag of the call, returned in results and searchable in the result list. */
  readonly senderGroupingKey?: string;
  readonly attachFileIdList: readonly string[];
  readonly recipientList: readonly NhnRecipientRequest[];
}

export type NhnCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: number };

/** SMSDOC `api-guide.md` v3.0: recipientList[] "최대 1,000명". */
export const MAX_RECIPIENTS = 1_000;
/**
 * The standard sizes in EUC-KR bytes (SMSDOC "주의 사항": SMS body 90, MMS title 40, MMS body
 * 2,000). NHN stores up to 255 / 120 / 4,000 characters and cuts the rest on delivery; herald never
 * means text to be cut, so the simulator refuses anything over the standard with -2015, making
 * an adapter or API check that lets it through fail loudly.
 */
export const SMS_BODY_MAX_BYTES = 90;
export const MMS_TITLE_MAX_BYTES = 40;
export const MMS_BODY_MAX_BYTES = 2_000;
/** SMSDOC `api-guide.md` v3.0: senderGroupingKey "최대 길이 100". */
export const SENDER_GROUPING_KEY_MAX = 100;

/**
 * The whole-call checks of a send body, in NHN's order of concern: recipients present and at most
 * 1,000 (-2001, -2016), title (LMS/MMS) and body present (-2014), sendNo present (-2312; whether
 * it is registered is the contract's check), characters outside EUC-KR (-2023), byte limits
 * (-2015), then the ad marking on ad-sms / ad-mms; a senderGroupingKey that is not a string of
 * at most 100 characters fails parameter validation (4).
 */
export function checkSendBody(raw: unknown, kind: NhnSendKind): NhnCheck<NhnSendRequest> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, code: -9997 };
  const fields = raw as Record<string, unknown>;
  const recipients = fields.recipientList;
  if (!Array.isArray(recipients) || recipients.length === 0) return { ok: false, code: -2001 };
  if (recipients.length > MAX_RECIPIENTS) return { ok: false, code: -2016 };
  if (!recipients.every(isRecipient)) return { ok: false, code: -9997 };
  const { body, title, sendNo } = fields;
  if (typeof body !== 'string' || body === '') return { ok: false, code: -2014 };
  if (kind.type === 'mms' && (typeof title !== 'string' || title === '')) return { ok: false, code: -2014 };
  if (typeof sendNo !== 'string' || sendNo === '') return { ok: false, code: -2312 };
  const texts = kind.type === 'mms' ? [title as string, body] : [body];
  if (texts.some((text) => findNonEucKr(text) !== undefined)) return { ok: false, code: -2023 };
  if (overBytes(kind, body, title)) return { ok: false, code: -2015 };
  if (kind.ad) {
    const adCode = adMarkingCode(body);
    if (adCode !== undefined) return { ok: false, code: adCode };
  }
  const grouping = fields.senderGroupingKey;
  if (grouping !== undefined && (typeof grouping !== 'string' || grouping.length > SENDER_GROUPING_KEY_MAX)) {
    return { ok: false, code: 4 };
  }
  const attach = fields.attachFileIdList ?? [];
  if (!Array.isArray(attach) || !attach.every((id) => typeof id === 'number' || typeof id === 'string')) {
    return { ok: false, code: -9997 };
  }
  return {
    ok: true,
    value: {
      body,
      sendNo,
      ...(kind.type === 'mms' ? { title: title as string } : {}),
      ...(grouping ? { senderGroupingKey: grouping } : {}),
      attachFileIdList: (kind.type === 'mms' ? attach : []).map(String),
      recipientList: recipients,
    },
  };
}

function isRecipient(value: unknown): value is NhnRecipientRequest {
  const recipient = value as Partial<Record<keyof NhnRecipientRequest, unknown>> | null;
  return (
    typeof recipient === 'object' &&
    recipient !== null &&
    (recipient.recipientNo === undefined || typeof recipient.recipientNo === 'string') &&
    (recipient.recipientGroupingKey === undefined || typeof recipient.recipientGroupingKey === 'string')
  );
}

function overBytes(kind: NhnSendKind, body: string, title: unknown): boolean {
  if (kind.type === 'sms') return eucKrByteLength(body) > SMS_BODY_MAX_BYTES;
  return eucKrByteLength(title as string) > MMS_TITLE_MAX_BYTES || eucKrByteLength(body) > MMS_BODY_MAX_BYTES;
}

/**
 * The ad marking NHN requires on ad-sms / ad-mms (SMSDOC `api-guide.md` "광고 문자"): the body
 * starts with `(광고)` and ends with `무료수신거부 {080 number}` or `무료거부 {080 number}`,
 * spaces allowed anywhere in the phrase (`[무료 수신 거부]0808880327`) and `-` inside the number.
 * A missing opt-out is NHN's -6003; NHN lists no code of its own for a missing `(광고)`, so the
 * simulator answers it with 4 (parameter validation failed).
 */
const OPT_OUT_AT_END = /무\s*료\s*(?:수\s*신\s*)?거\s*부\s*[\])]?\s*:?\s*(0\s*8\s*0[\d\s-]*)$/;

export function adMarkingCode(body: string): number | undefined {
  if (!body.startsWith('(광고)')) return 4;
  const match = OPT_OUT_AT_END.exec(body.trimEnd());
  const digits = match?.[1]?.replace(/[\s-]/g, '') ?? '';
  return /^080\d{7,8}$/.test(digits) ? undefined : -6003;
}

/** A Korean mobile or landline number as NHN takes it in recipientNo: digits, 9 to 11 of them, from 0. */
export function isValidRecipientNo(recipientNo: string | undefined): boolean {
  return recipientNo !== undefined && /^0\d{8,10}$/.test(recipientNo);
}
