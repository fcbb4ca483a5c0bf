/**
 * One error type for herald, with a code from a closed list, a cause, and whether a retry may help.
 * Classify by `code`, never by message text. API error codes are documented in docs/errors.md,
 * and a test checks the catalogue and the docs both ways.
 */
export const ERROR_CODES = {
  // API edge: bad input (4xx)
  HERALD_INVALID_JSON: { status: 400, doc: 'The request body is not valid JSON.' },
  HERALD_VALIDATION_FAILED: { status: 400, doc: 'A field is missing, of the wrong type or out of range.' },
  HERALD_UNKNOWN_CHANNEL: {
    status: 400,
    doc: 'channel is not one of push, sms, lms, mms, alimtalk, email, vms.',
  },
  HERALD_UNKNOWN_LANE: { status: 400, doc: 'lane is not one of realtime, batch, ad.' },
  HERALD_TOO_MANY_RECIPIENTS: { status: 400, doc: 'More than 100 recipients in one request.' },
  HERALD_NO_RECIPIENTS: { status: 400, doc: 'recipients is empty.' },
  HERALD_MISSING_CONTENT: { status: 400, doc: 'Neither content nor template was given (or both were).' },
  HERALD_BODY_TOO_LONG: { status: 400, doc: 'The body exceeds the channel size limit.' },
  HERALD_SUBJECT_TOO_LONG: { status: 400, doc: 'The subject exceeds the channel size limit.' },
  HERALD_NOT_EUC_KR: { status: 400, doc: 'The text has characters outside EUC-KR (emoji, rare Hanja...).' },
  HERALD_CONTROL_CHARACTER: {
    status: 400,
    doc: 'A NUL in the text, or a control character or line break in a header-bound field (e-mail subject).',
  },
  HERALD_SMS_TOO_LONG: {
    status: 400,
    doc: 'An SMS over 90 EUC-KR bytes while the LMS upgrade is turned off.',
  },
  HERALD_SUBJECT_NOT_SUPPORTED: {
    status: 400,
    doc: 'A subject was given for a channel without one (vms, or sms with the LMS upgrade off).',
  },
  HERALD_INVALID_PHONE: { status: 400, doc: 'A recipient phone number is not a valid Korean number.' },
  HERALD_INVALID_EMAIL: { status: 400, doc: 'A recipient e-mail address is not valid.' },
  HERALD_INVALID_DEVICE_TOKEN: { status: 400, doc: 'A recipient device token is empty or malformed.' },
  HERALD_UNKNOWN_PUSH_PROVIDER: {
    status: 400,
    doc: 'A push token is neither APNs- nor FCM-shaped and the recipient gives no provider.',
  },
  HERALD_MISSING_VARIABLE: {
    status: 400,
    doc: 'A #{variable} in the content has no value for this recipient.',
  },
  HERALD_TEMPLATE_NOT_FOUND: { status: 400, doc: 'The template code is not registered.' },
  HERALD_IMAGE_INVALID: {
    status: 400,
    doc: 'An MMS image is not a baseline JPEG, is over 300 KB or 1000x1000, or there are more than 3.',
  },
  HERALD_MMS_IMAGE_REQUIRED: {
    status: 400,
    doc: 'An MMS without an image (send it as lms, or say so with mms.allowLmsWithoutImage).',
  },
  HERALD_VMS_OPTIONS_INVALID: {
    status: 400,
    doc: 'vms options were given for another channel, or vms.replyRange is not 1-9, or vms.counselorNumber is not a Korean phone number.',
  },
  HERALD_VMS_OPTIONS_CONFLICT: {
    status: 400,
    doc: 'vms.replyRange and vms.counselorNumber were both given; a voice message takes one or the other.',
  },
  HERALD_VMS_TAIL_WITHOUT_HEADER: {
    status: 400,
    doc: 'vms.tailMessage was given without vms.headerMessage; the tail is only played after a header.',
  },
  HERALD_VMS_MESSAGE_TOO_LONG: {
    status: 400,
    doc: 'vms.headerMessage or vms.tailMessage is over 135 characters.',
  },
  HERALD_INVALID_IDEMPOTENCY_KEY: {
    status: 400,
    doc: 'The Idempotency-Key header is empty or longer than 255.',
  },
  // Advertising lane (정보통신망법 §50, 시행령 §61)
  HERALD_AD_NOT_ALLOWED_ON_CHANNEL: {
    status: 400,
    doc: 'An ad was sent on alimtalk, which carries informational messages only.',
  },
  HERALD_AD_MARKING_MISSING: {
    status: 400,
    doc: "An ad's body (an e-mail ad's subject) does not start with exactly (광고).",
  },
  HERALD_AD_OPT_OUT_MISSING: {
    status: 400,
    doc: 'An ad does not end with a free opt-out line (무료수신거부 080-XXX-XXXX).',
  },
  HERALD_AD_SENDER_MISSING: { status: 400, doc: 'An ad has no sender.name, or its body does not carry it.' },
  HERALD_UNSUBSCRIBE_LINK_INVALID: {
    status: 404,
    doc: 'The unsubscribe link of an ad e-mail was not signed by herald (forged, altered or cut short).',
  },
  HERALD_AD_OUTSIDE_AD_LANE: {
    status: 422,
    doc: 'Text that reads as an ad (starts with (광고) or a look-alike) was sent on a lane other than ad.',
  },
  HERALD_RECIPIENT_OPTED_OUT: {
    status: 422,
    doc: "The recipient opted out of this client's ads on this channel (per recipient only).",
  },
  HERALD_SENDER_NOT_REGISTERED: {
    status: 422,
    doc: 'The `from` number is not a sender number (발신번호) registered for your client, or you gave none and have no default.',
  },
  HERALD_KAKAO_CHANNEL_NOT_REGISTERED: {
    status: 422,
    doc: 'Your client has no Kakao channel (sender key) registered for AlimTalk at any routed vendor.',
  },
  HERALD_TEMPLATE_NOT_APPROVED: {
    status: 422,
    doc: 'The AlimTalk template is not approved at any vendor AlimTalk is routed to.',
  },
  HERALD_IMAGE_FETCH_FAILED: {
    status: 422,
    doc: 'An MMS image URL could not be fetched: host not registered, private address, too large, too slow or not 200.',
  },
  HERALD_NO_VALID_RECIPIENTS: {
    status: 422,
    doc: 'Every recipient of the request was rejected; the per-recipient errors say why.',
  },
  HERALD_CALLBACK_URL_INVALID: {
    status: 400,
    doc: 'The webhook URL is not an absolute http(s) URL, or carries a user name, password or fragment.',
  },
  HERALD_CALLBACK_URL_NOT_ALLOWED: {
    status: 422,
    doc: "The webhook URL's host or an address it resolves to is not on the remote config's callbacks.allow (or is herald itself), or it is http without callbacks.allowHttp.",
  },
  HERALD_INVALID_CONFIG: {
    status: 400,
    doc: 'The remote config breaks a rule (out of range, vendor without adapter or settings...).',
  },
  HERALD_STATS_RANGE_INVALID: {
    status: 400,
    doc: 'GET /admin/stats: from or to missing or not an ISO-8601 time with a zone, to not after from, or more than 31 days apart.',
  },
  HERALD_STATS_GROUPING_INVALID: {
    status: 400,
    doc: 'GET /admin/stats: by is not one of vendor, carrier, code.',
  },
  HERALD_PAYLOAD_TOO_LARGE: { status: 413, doc: 'The request body is larger than the server accepts.' },
  HERALD_MESSAGES_TOO_LARGE: {
    status: 413,
    doc: "The request's messages would carry more text together than herald takes in one request.",
  },
  HERALD_UNSUPPORTED_MEDIA_TYPE: { status: 415, doc: 'The request body is not application/json.' },
  // HTTP edge: what the request's HTTP itself gets wrong, before herald reads a field
  HERALD_MALFORMED_REQUEST: {
    status: 400,
    doc: 'The request is not valid HTTP/1.1 (request line, header syntax, Content-Length, Host, URL).',
  },
  HERALD_INVALID_UTF8: {
    status: 400,
    doc: 'The JSON body is not valid UTF-8; the message gives the byte offset.',
  },
  HERALD_REQUEST_TIMEOUT: {
    status: 408,
    doc: 'The request headers or body did not arrive within the time limit.',
  },
  HERALD_HEADERS_TOO_LARGE: { status: 431, doc: 'The request line and headers are larger than 16 KiB.' },
  HERALD_UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    doc: 'The body has a Content-Encoding (gzip, br...); herald takes identity only.',
  },
  HERALD_UNAUTHORIZED: { status: 401, doc: 'No API key, or the key is unknown or revoked.' },
  HERALD_FORBIDDEN: { status: 403, doc: 'The API key lacks the role this call needs (admin).' },
  HERALD_NOT_FOUND: { status: 404, doc: 'No such request, message or route.' },
  HERALD_CONFIG_CONFLICT: { status: 409, doc: 'The remote config changed since the version you read.' },
  HERALD_RATE_LIMITED: {
    status: 429,
    doc: "The client's request or recipient rate, or its address's failed logins, is over the limit.",
  },
  HERALD_IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    doc: 'A request with this Idempotency-Key is still being accepted; retry shortly.',
  },
  HERALD_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    doc: 'This Idempotency-Key was used for a request with another body.',
  },
  HERALD_UNAVAILABLE: {
    status: 503,
    doc: 'herald cannot persist messages right now; retry after Retry-After.',
  },
  HERALD_INTERNAL: { status: 500, doc: 'An unexpected error; the log has the details.' },
  // Delivery (history, per-recipient results)
  HERALD_VENDOR_TIMEOUT: { status: 504, doc: 'The vendor did not answer within its time limit.' },
  HERALD_VENDOR_UNAVAILABLE: { status: 502, doc: 'The vendor failed (5xx, connection error).' },
  HERALD_VENDOR_RATE_LIMITED: { status: 429, doc: 'The vendor asked to slow down (429).' },
  HERALD_VENDOR_REJECTED: { status: 422, doc: 'The vendor refused the message for good.' },
  HERALD_VENDOR_AUTH: {
    status: 502,
    doc: "The vendor refused herald's credentials (key, secret, signature); not retried, counts against its breaker.",
  },
  HERALD_KAKAO_UNDELIVERED: {
    status: 422,
    doc: 'Kakao could not deliver the AlimTalk (not a KakaoTalk user, blocked, inactive); the fallback SMS/LMS took over where there is one.',
  },
  HERALD_UNDELIVERED: {
    status: 422,
    doc: "The vendor accepted the message and its receipt says it was not delivered; the vendor's code and text are in the event.",
  },
  HERALD_RECEIPT_TIMEOUT: {
    status: 504,
    doc: 'No delivery result from the vendor by its delivery timeout (NHN: SMS 25 h, LMS/MMS 80 h); recorded undelivered.',
  },
  HERALD_RECIPIENT_INVALID: {
    status: 422,
    doc: 'The vendor says the recipient does not exist or the token is dead.',
  },
  HERALD_TOKEN_INVALID: {
    status: 422,
    doc: 'The push service says the device token is dead (FCM UNREGISTERED, APNs 410); marked dead in the registry.',
  },
  HERALD_NO_DEVICES: { status: 422, doc: 'The push user has no live device registered.' },
  HERALD_NO_VENDOR: {
    status: 503,
    doc: "Every vendor of the channel (push: of the token's provider) is switched off or its circuit is open.",
  },
  HERALD_EXPIRED: { status: 410, doc: 'The message reached its expiry before it could be sent.' },
} as const satisfies Record<string, { status: number; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HeraldErrorOptions {
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  /** The vendor's own code (e.g. FCM UNREGISTERED), kept for history. */
  readonly vendorCode?: string;
  /** Whether this failure counts against the vendor's circuit breaker. */
  readonly vendorFault?: boolean;
  readonly field?: string;
  readonly cause?: unknown;
}

export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorFault: boolean;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: HeraldErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'HeraldError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.vendorCode = options.vendorCode;
    this.vendorFault = options.vendorFault ?? false;
    this.field = options.field;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isHeraldError(error: unknown): error is HeraldError {
  return error instanceof HeraldError;
}
