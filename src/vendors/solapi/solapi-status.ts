import { type ErrorCode, HeraldError } from '../../core/domain/errors.ts';
import type { DeliveryCheck } from '../../ports/vendor.ts';
import { solapiCarrierOf } from './solapi-network.ts';

/**
 * SOLAPI's four-digit message status codes (SOLAPI docs api-reference/message-status-codes.md):
 * 1xxx refused at registration, 2000 registered, 2xxx refused by the platform, 3000 handed to the
 * carrier or Kakao, 3xxx refused there, 4000 delivered. A registration refusal comes back per
 * message in send-many/detail's failedMessageList; the later ones in the message list look-up.
 */
interface StatusRule {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly vendorFault: boolean;
}

const PERMANENT: StatusRule = { code: 'HERALD_VENDOR_REJECTED', retryable: false, vendorFault: false };

const RULES: Readonly<Record<string, StatusRule>> = {
  // 등록된 계정이 아니거나 패스워드가 틀림 / 차단된 계정: herald's account, not this message.
  '1020': { code: 'HERALD_VENDOR_AUTH', retryable: false, vendorFault: true },
  '2063': { code: 'HERALD_VENDOR_AUTH', retryable: false, vendorFault: true },
  // 서버 오류; 잔액 부족: the vendor cannot take it now, another vendor can.
  '1024': { code: 'HERALD_VENDOR_UNAVAILABLE', retryable: true, vendorFault: true },
  '2024': { code: 'HERALD_VENDOR_UNAVAILABLE', retryable: true, vendorFault: true },
  '3024': { code: 'HERALD_VENDOR_UNAVAILABLE', retryable: true, vendorFault: true },
  '1030': { code: 'HERALD_VENDOR_UNAVAILABLE', retryable: true, vendorFault: true },
  '2230': { code: 'HERALD_VENDOR_UNAVAILABLE', retryable: true, vendorFault: true },
  // 해당 이미지가 없음 / imageId가 존재하지 않습니다: the cached file id is gone; upload again.
  '1023': { code: 'HERALD_VENDOR_REJECTED', retryable: true, vendorFault: false },
  '1034': { code: 'HERALD_VENDOR_REJECTED', retryable: true, vendorFault: false },
  // 발신번호 미등록
  '1062': { code: 'HERALD_SENDER_NOT_REGISTERED', retryable: false, vendorFault: false },
  '2062': { code: 'HERALD_SENDER_NOT_REGISTERED', retryable: false, vendorFault: false },
  // 유효한 플러스 친구 값이 아닙니다 (pfId unknown at SOLAPI)
  '1041': { code: 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED', retryable: false, vendorFault: false },
  // 유효한 템플릿 아이디가 아닙니다
  '1042': { code: 'HERALD_TEMPLATE_NOT_APPROVED', retryable: false, vendorFault: false },
  // 수신번호 형식 오류 / 미가입자
  '3010': { code: 'HERALD_RECIPIENT_INVALID', retryable: false, vendorFault: false },
  '3032': { code: 'HERALD_RECIPIENT_INVALID', retryable: false, vendorFault: false },
};

/** Status codes whose image id must be forgotten (and uploaded again on the retry). */
export const IMAGE_GONE_CODES: ReadonlySet<string> = new Set(['1023', '1034']);

/** One refused message of failedMessageList as a HeraldError, with SOLAPI's code kept. */
export function mapSolapiStatus(vendorId: string, statusCode: string, statusMessage: string): HeraldError {
  const rule = RULES[statusCode] ?? PERMANENT;
  return new HeraldError(
    rule.code,
    `Vendor ${vendorId} refused the message: ${statusCode} ${statusMessage}`,
    {
      retryable: rule.retryable,
      vendorFault: rule.vendorFault,
      vendorCode: statusCode,
    },
  );
}

/**
 * Kakao's outcomes SOLAPI reports for an AlimTalk (ATA) where the recipient can still be reached
 * by SMS/LMS: 3104 카카오톡 미사용자 (Kakao 3019), 3107 72시간 이내 카카오톡 미사용자, 알림톡 차단한
 * 사용자 (Kakao 3018 inactive, 3020 blocked), 3102 친구 관계가 아닌 경우.
 */
const FALLBACK_CODES: ReadonlySet<string> = new Set(['3104', '3107', '3102']);

/** Still on its way: registered (2000), handed over and waiting for the report (3000). */
const PENDING_CODES: ReadonlySet<string> = new Set(['2000', '3000']);

/** What a message of SOLAPI's list look-up (GET /messages/v4/list) says of its delivery. */
export interface StoredSolapiMessage {
  readonly statusCode?: string | null;
  readonly status?: string | null;
  readonly reason?: string | null;
  readonly dateReceived?: string | null;
  readonly dateReported?: string | null;
  readonly dateUpdated?: string | null;
  readonly networkName?: string | null;
  readonly networkCode?: string | null;
}

export function deliveryCheckOf(stored: StoredSolapiMessage | undefined, now: number): DeliveryCheck {
  const code = stored?.statusCode ?? undefined;
  if (stored === undefined || code === undefined || PENDING_CODES.has(code)) return { state: 'pending' };
  const at = dateOf(stored.dateReceived) ?? dateOf(stored.dateReported) ?? dateOf(stored.dateUpdated) ?? now;
  // The network, where SOLAPI names one (a text message; an AlimTalk has none).
  const carrier = solapiCarrierOf(stored.networkName, stored.networkCode);
  const network = carrier === undefined ? {} : { carrier };
  if (code === '4000') return { state: 'delivered', at, code, ...network };
  return {
    state: 'undelivered',
    at,
    code,
    message: stored.reason ?? `SOLAPI status ${code}`,
    fallback: FALLBACK_CODES.has(code),
    ...network,
  };
}

function dateOf(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
