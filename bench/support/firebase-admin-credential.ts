import { importPKCS8, SignJWT } from 'jose';
import type { BenchServiceAccount } from './bench-service-account.ts';

/** What firebase-admin asks of a custom `credential` (its Credential interface, app/credential.d.ts). */
export interface AccessTokenCredential {
  getAccessToken(): Promise<{ access_token: string; expires_in: number }>;
}

const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * A firebase-admin credential that does what its own `cert(serviceAccount)` does: an OAuth2
 * JWT-bearer grant (RS256 assertion signed with the service account's key) against the account's
 * `token_uri`, here the simulator's token endpoint. `cert()` itself cannot be used: it posts to
 * https://oauth2.googleapis.com over TLS through an https agent. firebase-admin caches the token
 * and asks again only near its expiry, so this runs once per bench run.
 */
export function simulatorGrantCredential(account: BenchServiceAccount): AccessTokenCredential {
  return {
    async getAccessToken() {
      const key = await importPKCS8(account.private_key, 'RS256');
      const now = Math.floor(Date.now() / 1_000);
      const assertion = await new SignJWT({ scope: FCM_SCOPE })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: account.private_key_id })
        .setIssuer(account.client_email)
        .setAudience(account.token_uri)
        .setIssuedAt(now)
        .setExpirationTime(now + 3_600)
        .sign(key);
      const response = await fetch(account.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString(),
      });
      const body = (await response.json()) as { access_token?: string; expires_in?: number };
      if (!response.ok || typeof body.access_token !== 'string') {
        throw new Error(`token grant answered ${response.status}: ${JSON.stringify(body)}`);
      }
      return { access_token: body.access_token, expires_in: Number(body.expires_in ?? 3_599) };
    },
  };
}
