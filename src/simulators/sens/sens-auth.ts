import type { IncomingHttpHeaders } from 'node:http';
import {
  SENS_HEADERS,
  SENS_TIMESTAMP_WINDOW_MS,
  sameSignature,
  sensSignature,
} from '../../vendors/sens/sens-signature.ts';
import type { TextRequest } from '../text/text-contract.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { authenticationFailed, gatewayError } from './sens-answers.ts';

/** A call that passed the gateway: the path after `/{api}/v2/services/{serviceId}`, query kept. */
export interface SensAuthorised {
  readonly ok: true;
  readonly rest: string;
}

/**
 * What NAVER's API Gateway checks before SENS sees a call (common-ncpapi): the three headers are
 * there, the access key is the account's, the timestamp is within 5 minutes of the gateway's
 * clock, and the signature is HMAC-SHA256 of "METHOD URI\ntimestamp\naccessKey" with the secret
 * key over the URI the host sees. Then SENS' routing: the service id in the path is the
 * project's (`ncp:sms:kr:...` for /sms, `ncp:kkobizmsg:kr:...` for /alimtalk), else 403 as a
 * project without that channel answers.
 */
export function checkSensCall(
  request: TextRequest,
  text: TextSimulation,
  api: 'sms' | 'alimtalk',
): SensAuthorised | { readonly ok: false; readonly answer: HttpAnswer } {
  const refused = (answer: HttpAnswer) => ({ ok: false as const, answer });
  const timestamp = header(request.headers, SENS_HEADERS.timestamp);
  const accessKey = header(request.headers, SENS_HEADERS.accessKey);
  const signature = header(request.headers, SENS_HEADERS.signature);
  if (!timestamp || !accessKey || !signature) {
    return refused(authenticationFailed('Required authentication headers are missing.'));
  }
  const trust = text.trust[request.vendorId];
  if (trust === undefined || trust.accountId !== accessKey) {
    return refused(authenticationFailed('Invalid authentication information.'));
  }
  const at = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(text.now() - at) > SENS_TIMESTAMP_WINDOW_MS) {
    return refused(authenticationFailed('The timestamp is outside the allowed 5 minutes.'));
  }
  const expected = sensSignature(trust.secret, request.method, request.path, timestamp, accessKey);
  if (!sameSignature(signature, expected)) {
    return refused(authenticationFailed('Invalid signature.'));
  }
  const prefix = `/${api}/v2/services/`;
  if (!request.path.startsWith(prefix)) {
    return refused(gatewayError(404, '300', 'Not Found Exception', `No API at ${pathOnly(request.path)}`));
  }
  const afterPrefix = request.path.slice(prefix.length);
  const end = afterPrefix.search(/[/?]|$/);
  const serviceId = safeDecode(afterPrefix.slice(0, end));
  if (serviceId !== trust.serviceId) {
    return refused(gatewayError(403, '230', 'Forbidden', 'The service id is not one of this account.'));
  }
  return { ok: true, rest: afterPrefix.slice(end) || '/' };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** herald's message ids of a call (x-herald-message-id, comma separated in message order). */
export function heraldMessageIds(headers: IncomingHttpHeaders): string[] {
  const value = header(headers, 'x-herald-message-id');
  return value === undefined || value === '' ? [] : value.split(',').map((id) => id.trim());
}
