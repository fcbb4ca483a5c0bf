import { decodeJwt, errors, jwtVerify } from 'jose';
import type { PushSimulation } from '../push-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';

/** The audience Google's token endpoint accepts besides its own URL on this simulator. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions valid for longer than an hour. */
const MAX_ASSERTION_LIFETIME_SECONDS = 3_600;
/** Clock skew tolerated between the signer and this endpoint. */
const CLOCK_SKEW_SECONDS = 60;
const SHORT_LIVED =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export interface TokenRequest {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** The URL this endpoint is served at (`http://<host>/oauth2/token`): a valid `aud`. */
  readonly servedUrl: string;
}

/**
 * Google's OAuth2 token endpoint for the JWT-bearer grant of a service account
 * (https://developers.google.com/identity/protocols/oauth2/service-account):
 *
 *   POST /oauth2/token   application/x-www-form-urlencoded
 *   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>
 *     JWT claims: iss = client_email, scope, aud = token URL, iat, exp (<= iat + 3600)
 *
 *   200 {"access_token":"ya29...","expires_in":3599,"token_type":"Bearer"}
 *   400 {"error":"invalid_grant"|"unsupported_grant_type"|"invalid_request"|"invalid_scope","error_description":"..."}
 *
 * The assertion's signature is checked against the service account's key in the simulator's trust.
 */
export async function answerTokenRequest(
  request: TokenRequest,
  push: PushSimulation,
  nowMs: number,
): Promise<HttpAnswer> {
  const form = readForm(request);
  if (form.get('grant_type') !== JWT_BEARER_GRANT) {
    return oauthError('unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
  }
  const assertion = form.get('assertion');
  if (assertion === null || assertion === '')
    return oauthError('invalid_request', 'Missing required parameter: assertion');
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    return oauthError('invalid_grant', 'Invalid JWT: the assertion is not a JWT.');
  }
  const vendorId = typeof claims.iss === 'string' ? push.fcmVendorsOf(claims.iss)[0] : undefined;
  if (vendorId === undefined) return oauthError('invalid_grant', 'Invalid grant: account not found');
  const rejected = await verificationProblem(assertion, push, vendorId, request.servedUrl, nowMs);
  if (rejected !== undefined) return rejected;
  const scopes =
    typeof claims.scope === 'string' ? claims.scope.split(' ').filter((scope) => scope !== '') : [];
  if (scopes.length === 0)
    return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  const ttl = push.accessTokenTtlSeconds;
  const accessToken = push.accessTokens.issue(claims.iss as string, scopes, ttl, nowMs);
  return {
    status: 200,
    headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' },
    body: { access_token: accessToken, expires_in: ttl, token_type: 'Bearer' },
  };
}

async function verificationProblem(
  assertion: string,
  push: PushSimulation,
  vendorId: string,
  servedUrl: string,
  nowMs: number,
): Promise<HttpAnswer | undefined> {
  const key = push.publicKey('fcm', vendorId)!;
  const nowSeconds = Math.floor(nowMs / 1_000);
  try {
    const { payload } = await jwtVerify(assertion, key, {
      algorithms: ['RS256'],
      audience: [servedUrl, GOOGLE_TOKEN_URL],
      currentDate: new Date(nowMs),
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    const { iat, exp } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number') return oauthError('invalid_grant', SHORT_LIVED);
    if (exp - iat > MAX_ASSERTION_LIFETIME_SECONDS || iat > nowSeconds + CLOCK_SKEW_SECONDS) {
      return oauthError('invalid_grant', SHORT_LIVED);
    }
    return undefined;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return oauthError('invalid_grant', SHORT_LIVED);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
      return oauthError('invalid_grant', 'Invalid JWT: Failed audience check.');
    }
    if (error instanceof errors.JWTClaimValidationFailed) return oauthError('invalid_grant', SHORT_LIVED);
    return oauthError('invalid_grant', 'Invalid JWT Signature.');
  }
}

/** gtoken and firebase-admin post a form; Google also takes the same fields as JSON. */
function readForm(request: TokenRequest): URLSearchParams {
  const text = request.body.toString('utf8');
  if (!(request.contentType ?? '').toLowerCase().startsWith('application/json'))
    return new URLSearchParams(text);
  try {
    const json: unknown = JSON.parse(text);
    const entries = typeof json === 'object' && json !== null ? Object.entries(json) : [];
    return new URLSearchParams(
      entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return new URLSearchParams();
  }
}

function oauthError(error: string, description: string): HttpAnswer {
  return { status: 400, body: { error, error_description: description } };
}
