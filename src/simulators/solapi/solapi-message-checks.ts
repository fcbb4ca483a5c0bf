import { eucKrByteLength, findNonEucKr } from '../../core/content/euc-kr.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import { voiceOptionsProblem } from './solapi-voice-checks.ts';

/** One message of a send-many call after SOLAPI's registration checks. */
export interface CheckedSolapiMessage {
  readonly to: string;
  readonly from: string | undefined;
  readonly type: 'SMS' | 'LMS' | 'MMS' | 'ATA' | 'VOICE';
  /** The text as delivered (ATA: the template with its variables filled in). */
  readonly text: string;
  readonly subject: string | undefined;
  readonly imageId: string | undefined;
  readonly customFields: Readonly<Record<string, string>>;
  readonly kakao: { readonly pfId: string; readonly templateId: string } | undefined;
}

export type MessageCheck =
  | { readonly ok: true; readonly message: CheckedSolapiMessage }
  | {
      readonly ok: false;
      readonly statusCode: string;
      readonly statusMessage: string;
      readonly raw: RawMessage;
    };

/** The fields of a message as the call carried them (what failedMessageList echoes back). */
export interface RawMessage {
  readonly to?: unknown;
  readonly from?: unknown;
  readonly text?: unknown;
  readonly type?: unknown;
  readonly subject?: unknown;
  readonly imageId?: unknown;
  readonly customFields?: unknown;
  readonly kakaoOptions?: unknown;
  readonly voiceOptions?: unknown;
}

/** SOLAPI's limits (docs message-status-codes.md 1031, 1014, 1032). */
const SMS_MAX_BYTES = 90;
const LMS_MAX_BYTES = 2_000;
const ATA_MAX_CHARS = 1_000;
const SUBJECT_MAX_BYTES = 40;
const TYPES = ['SMS', 'LMS', 'MMS', 'ATA', 'VOICE'] as const;

/**
 * SOLAPI's registration checks of one message, in the order its API reports them, each failure
 * with its status code (docs api-reference/message-status-codes.md): fields and format (1010, 1011,
 * 1025), sender number registered (1062), subject (1013, 1014), EUC-KR and byte limits (1029,
 * 1031), custom fields (1032), kakaoOptions only on ATA (1033), image known (1034), for VOICE the
 * voiceOptions (solapi-voice-checks.ts: 1010, 1011), and for ATA
 * the channel (1041), the template approved for it (1042) and the content complete (1043).
 */
export function checkSolapiMessage(
  vendorId: string,
  raw: RawMessage,
  text: TextSimulation,
  now: number,
): MessageCheck {
  const fail = (statusCode: string, statusMessage: string): MessageCheck => ({
    ok: false,
    statusCode,
    statusMessage,
    raw,
  });
  const to = typeof raw.to === 'string' ? raw.to.replace(/-/g, '') : undefined;
  if (!to) return fail('1010', '필수 입력 값 미입력: to');
  if (!/^\d{8,15}$/.test(to)) return fail('1011', 'Format Error: to');
  const from = typeof raw.from === 'string' && raw.from !== '' ? raw.from.replace(/-/g, '') : undefined;
  const kakaoOptions = isRecord(raw.kakaoOptions) ? raw.kakaoOptions : undefined;
  const type = typeOf(raw, kakaoOptions);
  if (type === undefined)
    return fail('1025', "잘못된 메시지 타입: ['SMS','LMS','MMS','ATA','VOICE'] 중에서 사용 가능");
  if (type !== 'ATA' && from === undefined) return fail('1010', '필수 입력 값 미입력: from');
  if (from !== undefined && !text.senderNumbers.allows(vendorId, from))
    return fail('1062', '발신번호 미등록');
  const customFields = isRecord(raw.customFields) ? raw.customFields : {};
  for (const [key, value] of Object.entries(customFields)) {
    if (key.length > 30 || typeof value !== 'string' || value.length > 100) {
      return fail('1032', '유효한 커스텀 필드 값이 아닙니다');
    }
  }
  const subject = typeof raw.subject === 'string' && raw.subject !== '' ? raw.subject : undefined;
  if (type === 'SMS' && subject !== undefined)
    return fail('1013', "제목은 문자 타입이 'SMS'일 경우 사용이 불가능합니다");
  if (subject !== undefined && eucKrByteLength(subject) > SUBJECT_MAX_BYTES)
    return fail('1014', '제목은 40byte까지 사용 가능합니다');
  if (type !== 'ATA' && kakaoOptions !== undefined)
    return fail('1033', 'kakaoOptions은 메시지가 ATA 나 CTA인 경우에만 사용가능합니다');
  const base = { to, from, subject, customFields: customFields as Record<string, string> };
  if (type === 'ATA') return checkAlimtalk(vendorId, kakaoOptions, raw, text, base, fail);
  const body = typeof raw.text === 'string' ? raw.text : '';
  if (body === '') return fail('1010', '필수 입력 값 미입력: text');
  if (type === 'VOICE') {
    const problem = voiceOptionsProblem(raw.voiceOptions);
    if (problem) return fail(problem.statusCode, problem.statusMessage);
    return { ok: true, message: { ...base, type, text: body, imageId: undefined, kakao: undefined } };
  }
  if (findNonEucKr(body) !== undefined || (subject !== undefined && findNonEucKr(subject) !== undefined)) {
    return fail('1029', '문자메시지의 경우 EUC-KR(완성형 한글) 범위 안에 있는 문자만 사용 합니다');
  }
  if (eucKrByteLength(body) > (type === 'SMS' ? SMS_MAX_BYTES : LMS_MAX_BYTES)) {
    return fail('1031', 'SMS는 90byte LMS, MMS는 2000byte까지 사용 가능 합니다');
  }
  const imageId = typeof raw.imageId === 'string' && raw.imageId !== '' ? raw.imageId : undefined;
  if (type === 'MMS' && (imageId === undefined || text.files.get(vendorId, imageId, now) === undefined)) {
    return fail('1034', 'imageId가 존재하지 않습니다');
  }
  return { ok: true, message: { ...base, type, text: body, imageId, kakao: undefined } };
}

function checkAlimtalk(
  vendorId: string,
  options: Record<string, unknown> | undefined,
  raw: RawMessage,
  text: TextSimulation,
  base: Pick<CheckedSolapiMessage, 'to' | 'from' | 'subject' | 'customFields'>,
  fail: (code: string, message: string) => MessageCheck,
): MessageCheck {
  const pfId = typeof options?.pfId === 'string' ? options.pfId : '';
  if (pfId === '' || !text.kakaoSenders.allows(vendorId, pfId))
    return fail('1041', '유효한 플러스 친구 값이 아닙니다');
  const templateId = typeof options?.templateId === 'string' ? options.templateId : '';
  const template = text.templates.get(vendorId, templateId);
  if (template === undefined || template.senderId !== pfId || template.state !== 'approved') {
    return fail('1042', '유효한 템플릿 아이디가 아닙니다');
  }
  const variables = isRecord(options?.variables) ? options.variables : {};
  let missing = false;
  const rendered = template.body.replace(/#\{([^}]+)\}/g, (_, name: string) => {
    const value = variables[`#{${name}}`];
    if (typeof value !== 'string') missing = true;
    return typeof value === 'string' ? value : '';
  });
  const given = typeof raw.text === 'string' && raw.text !== '' ? raw.text : undefined;
  if (missing || (given !== undefined && given !== rendered) || [...rendered].length > ATA_MAX_CHARS) {
    return fail('1043', '등록한 템플릿과 내용이 다릅니다');
  }
  const buttons = Array.isArray(options?.buttons)
    ? (options.buttons as Record<string, unknown>[])
    : undefined;
  if (buttons !== undefined && !sameButtons(buttons, template.buttons)) {
    return fail('1044', '유효한 버튼 값이 아닙니다');
  }
  return {
    ok: true,
    message: { ...base, type: 'ATA', text: rendered, imageId: undefined, kakao: { pfId, templateId } },
  };
}

/** Buttons must be the template's, in its order (1052), by type and name. */
function sameButtons(
  given: Record<string, unknown>[],
  registered: readonly { type: string; name: string }[],
): boolean {
  return (
    given.length === registered.length &&
    given.every(
      (button, i) => button.buttonType === registered[i]!.type && button.buttonName === registered[i]!.name,
    )
  );
}

/** The type given, else SOLAPI's autoTypeDetect: image -> MMS, kakaoOptions -> ATA, > 90 bytes or a subject -> LMS. */
function typeOf(
  raw: RawMessage,
  kakaoOptions: Record<string, unknown> | undefined,
): CheckedSolapiMessage['type'] | undefined {
  if (raw.type !== undefined) {
    const type = typeof raw.type === 'string' ? raw.type.toUpperCase() : '';
    return (TYPES as readonly string[]).includes(type) ? (type as CheckedSolapiMessage['type']) : undefined;
  }
  if (kakaoOptions !== undefined) return 'ATA';
  if (typeof raw.imageId === 'string' && raw.imageId !== '') return 'MMS';
  const body = typeof raw.text === 'string' ? raw.text : '';
  return raw.subject || eucKrByteLength(body) > SMS_MAX_BYTES ? 'LMS' : 'SMS';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
