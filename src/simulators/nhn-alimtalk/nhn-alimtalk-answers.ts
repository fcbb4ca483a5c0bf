import type { SimulatedError } from '../vendor-error-catalogue.ts';
import type { HttpAnswer } from '../wire-contract.ts';

/**
 * How NHN AlimTalk v2.3 answers, as the simulator renders it: every result, success or refusal, in
 * the `header` envelope of HTTP 200 (ATDOC `en/alimtalk-api-guide.md`, Response; the guide lists
 * result codes, no HTTP statuses); 429 from the API gateway when over its rate; a 5xx from the
 * front end in trouble. Codes and messages from ATDOC `en/error-code.md`.
 */
export function nhnAnswer(
  resultCode: number,
  resultMessage: string,
  rest: Record<string, unknown> = {},
): HttpAnswer {
  return {
    status: 200,
    body: { header: { resultCode, resultMessage, isSuccessful: resultCode === 0 }, ...rest },
  };
}

export function nhnSuccess(rest: Record<string, unknown> = {}): HttpAnswer {
  return nhnAnswer(0, 'SUCCESS', rest);
}

/** NHN's refusals the simulator gives, with the API response message NHN documents for each. */
export const NHN_CODES = {
  invalidAppKey: [-1000, 'Invalid appKey.'],
  invalidSecretKey: [-1001, 'Invalid secretKey.'],
  allReceiversFailed: [-1031, 'All of receivers are failed.'],
  messageNotFound: [-1016, 'It is not found any messages requested.'],
  tooLong: [-2000, 'The field is too long.'],
  blank: [-2001, 'The field must not be blank.'],
  outOfRange: [-2005, 'The field is out of range.'],
  senderNotFound: [-2017, 'Not exist plus friend.'],
  invalidButton: [-2018, 'Button parameter is invalid.'],
  resendNotConfigured: [-2502, 'Please set up the plus-friend resend setting.'],
  webLinkWithoutLinkMo: [-3000, 'If template have a WL(webLink), must input linkMo'],
  alreadyExists: [-3001, 'Already exist templateCode or templateName.'],
  unreadableBody: [-3002, 'Field is not valid.'],
  templateNotFound: [-3003, 'Template does not exist.'],
  templateParameter: [-3004, 'Please check template parameter.'],
  templateStatus: [-3005, 'Please check template status.'],
  linkScheme: [-3006, 'The linkMo/linkPc must include http:// or https://'],
  appLink: [
    -3007,
    'If there is an AL(appLink) in the template, at least two of schemeAndroid, schemeIos, linkMo.',
  ],
  buttonNameVariable: [-3008, "The button name can't include the replacement parameter."],
  buttonName: [-3009, 'Not exist button name.'],
  notModifiable: [-3012, 'Only templates with TSC03(APPROVE)/TSC04(REJECT) can be modified.'],
  addChannelName: [-3026, 'AC type button name must have 채널 추가.'],
  buttonNotInTemplate: [-3033, 'The button or quickReply is not registered in the template.'],
  invalidRecipient: [-4019, 'Invalid recipient number.'],
  jsonOnly: [-9996, 'Only application/json Content-type is supported.'],
  noSuchApi: [-9998, 'Not exist API'],
  systemError: [-9999, 'System error. Please inquire at support@toast.com.'],
} as const satisfies Record<string, readonly [number, string]>;

export type NhnRefusal = (typeof NHN_CODES)[keyof typeof NHN_CODES];

export function refuse([code, message]: NhnRefusal, field?: string): HttpAnswer {
  return nhnAnswer(code, field === undefined ? message : `${message} (${field})`);
}

/** A behaviour-picked whole-call failure: NHN's system error, or its front end's 503. */
export function outageAnswer(error: SimulatedError): HttpAnswer {
  if (/^-\d+$/.test(error.code)) {
    return { status: error.status, body: nhnAnswer(Number(error.code), 'System error.').body };
  }
  return { status: error.status, body: { error: error.code } };
}

export function throttledAnswer(retryAfterMs: number): HttpAnswer {
  return {
    status: 429,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1_000))) },
    body: { error: 'Too Many Requests' },
  };
}

/**
 * The errors the nhn-alimtalk simulator picks from (SimulatedError.code = NHN's result code): 5xx
 * fail the whole call, 4xx are one recipient's sendResults[].resultCode.
 */
export const NHN_ALIMTALK_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: '-9999', weight: 3 }, // System error
  { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 }, // the front end, no NHN envelope
  { status: 400, code: '-4019', weight: 2 }, // Invalid recipient number
  { status: 400, code: '-3049', weight: 1 }, // The template parameter does not match the template
];
