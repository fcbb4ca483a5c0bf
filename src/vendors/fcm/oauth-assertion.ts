import { SignJWT } from 'jose';
import type { ServiceAccount } from './service-account.ts';

/** Google's token endpoint: the default `aud` and where the grant is posted. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** The narrowest scope that lets a service account send with FCM HTTP v1. */
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_SECONDS = 3_600;

/**
 * The RS256 JWT of the OAuth2 JWT-bearer grant (RFC 7523, Google's "service account" flow):
 *
 *   header  {"alg":"RS256","typ":"JWT","kid":"<private_key_id>"}
 *   claims  {"iss":"<client_email>","scope":"<scopes>","aud":"<token URL>","iat":now,"exp":now+3600}
 */
export async function signAssertion(
  account: ServiceAccount,
  tokenUrl: string,
  nowSeconds: number,
  scope: string = FCM_SCOPE,
): Promise<string> {
  return new SignJWT({ scope })
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      ...(account.privateKeyId ? { kid: account.privateKeyId } : {}),
    })
    .setIssuer(account.clientEmail)
    .setAudience(tokenUrl)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
    .sign(account.privateKey);
}
