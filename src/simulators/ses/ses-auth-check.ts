import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAnswer } from '../wire-contract.ts';
import { sesError } from './ses-answers.ts';
import type { SesTrust } from './ses-credentials.ts';
import { parseSigV4Authorization, sha256Hex, sigV4Signature } from './sigv4.ts';

/** How far X-Amz-Date may be from the simulator's clock (AWS: 5 minutes). */
const MAX_SKEW_MS = 5 * 60 * 1_000;

export interface SignedCall {
  readonly method: string;
  /** The request target as on the wire, the vendor prefix included: the SDK signed all of it. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Checks a call's SigV4 signature as AWS does, and answers as AWS answers a refusal: no
 * Authorization 403 MissingAuthenticationTokenException, a malformed one 400
 * IncompleteSignatureException, an unknown access key 403 UnrecognizedClientException, a date out
 * of the 5-minute window or a scope of another region or service 403 InvalidSignatureException, a
 * wrong signature 403 SignatureDoesNotMatch. Returns undefined when the call is signed right.
 */
export function checkSesSignature(
  call: SignedCall,
  trust: SesTrust | undefined,
  service: string,
  now: number = Date.now(),
): HttpAnswer | undefined {
  const header = call.headers.authorization;
  if (header === undefined)
    return sesError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseSigV4Authorization(header);
  const amzDate = call.headers['x-amz-date'];
  if (
    auth === undefined ||
    typeof amzDate !== 'string' ||
    !auth.signedHeaders.includes('host') ||
    !auth.signedHeaders.includes('x-amz-date')
  ) {
    return sesError(
      400,
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders, Signature, with host and x-amz-date signed.',
    );
  }
  if (trust === undefined || auth.accessKeyId !== trust.accessKeyId) {
    return sesError(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (
    !Number.isFinite(signedAt) ||
    Math.abs(now - signedAt) > MAX_SKEW_MS ||
    !amzDate.startsWith(auth.scope.date)
  ) {
    return sesError(
      403,
      'InvalidSignatureException',
      'Signature expired or X-Amz-Date does not match the credential scope.',
    );
  }
  if (auth.scope.region !== trust.region || auth.scope.service !== service) {
    return sesError(
      403,
      'InvalidSignatureException',
      `Credential should be scoped to region '${trust.region}' and service '${service}'.`,
    );
  }
  const [path = '/', query = ''] = call.url.split('?', 2) as [string?, string?];
  const expected = sigV4Signature(
    { method: call.method, path, query, headers: call.headers, payloadHash: sha256Hex(call.body) },
    auth.signedHeaders,
    amzDate,
    auth.scope,
    trust.secretAccessKey,
  );
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return sesError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return undefined;
}
