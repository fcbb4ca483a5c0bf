import type { HttpAnswer } from '../wire-contract.ts';

/**
 * FCM HTTP v1 error answers: the google.rpc Status shape, with an FcmError detail carrying FCM's
 * own code (what firebase-admin and herald classify by), as documented on
 * https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode:
 *
 *   404 {"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND",
 *        "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}
 */
export const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
export const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
export const QUOTA_FAILURE_TYPE = 'type.googleapis.com/google.rpc.QuotaFailure';

/** google.rpc canonical status names by HTTP status. */
const CANONICAL_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** FCM's errorCode for a simulated error whose code is not one of FCM's own, by HTTP status. */
const FCM_CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'THIRD_PARTY_AUTH_ERROR',
  403: 'SENDER_ID_MISMATCH',
  404: 'UNREGISTERED',
  429: 'QUOTA_EXCEEDED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** What FCM says for each of its codes when nothing more specific applies. */
const FCM_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
  THIRD_PARTY_AUTH_ERROR: 'Auth error from APNS or Web Push Service',
  SENDER_ID_MISMATCH: 'SenderId mismatch',
  UNREGISTERED: 'Requested entity was not found.',
  QUOTA_EXCEEDED: 'Quota exceeded for quota metric of the project.',
  INTERNAL: 'Internal error encountered.',
  UNAVAILABLE: 'The service is currently unavailable.',
  UNSPECIFIED_ERROR: 'Unknown error.',
};

export interface FcmErrorOptions {
  /** FCM's code for the FcmError detail; none for errors of Google's front end (401, 403). */
  readonly errorCode?: string;
  readonly extraDetails?: readonly unknown[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** A google.rpc Status answer. */
export function fcmErrorAnswer(status: number, message: string, options: FcmErrorOptions = {}): HttpAnswer {
  const details: unknown[] = [];
  if (options.errorCode !== undefined)
    details.push({ '@type': FCM_ERROR_TYPE, errorCode: options.errorCode });
  details.push(...(options.extraDetails ?? []));
  const error: Record<string, unknown> = {
    code: status,
    message,
    status: CANONICAL_STATUS[status] ?? 'UNKNOWN',
  };
  if (details.length > 0) error.details = details;
  return { status, ...(options.headers ? { headers: options.headers } : {}), body: { error } };
}

/** An FCM error by FCM code (a simulated error's code, or one picked by its HTTP status). */
export function fcmCodedError(status: number, code: string): HttpAnswer {
  const errorCode = Object.hasOwn(FCM_MESSAGES, code)
    ? code
    : (FCM_CODE_BY_STATUS[status] ?? 'UNSPECIFIED_ERROR');
  return fcmErrorAnswer(status, FCM_MESSAGES[errorCode]!, { errorCode });
}

/** 400 INVALID_ARGUMENT naming the field, as FCM answers a malformed message. */
export function fcmInvalidArgument(message: string, field?: string): HttpAnswer {
  const extraDetails =
    field === undefined
      ? []
      : [{ '@type': BAD_REQUEST_TYPE, fieldViolations: [{ field, description: message }] }];
  return fcmErrorAnswer(400, message, { errorCode: 'INVALID_ARGUMENT', extraDetails });
}
