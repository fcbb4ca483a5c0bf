import type { SimulatedError } from '../vendor-error-catalogue.ts';

/**
 * What the SOLAPI simulator fails calls with when its behaviour says so. 5xx: the whole call fails
 * with SOLAPI's error body; 4xx: that message is refused in failedMessageList with the status code
 * (docs api-reference/message-status-codes.md): 1060 차단된 수신번호, 1061 080 수신거부,
 * 1043 등록한 템플릿과 내용이 다릅니다.
 */
export const SOLAPI_SMS_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: 'InternalError', weight: 3 },
  { status: 503, code: 'ServiceUnavailable', weight: 2 },
  { status: 400, code: '1060', weight: 2 },
  { status: 400, code: '1061', weight: 1 },
];

/** A voice call: the same outage and recipient refusals as SMS (no voice-specific codes are documented). */
export const SOLAPI_VMS_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: 'InternalError', weight: 3 },
  { status: 503, code: 'ServiceUnavailable', weight: 2 },
  { status: 400, code: '1060', weight: 2 },
  { status: 400, code: '1061', weight: 1 },
];

export const SOLAPI_ALIMTALK_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: 'InternalError', weight: 3 },
  { status: 503, code: 'ServiceUnavailable', weight: 1 },
  { status: 400, code: '1060', weight: 1 },
  { status: 400, code: '1043', weight: 1 },
];
