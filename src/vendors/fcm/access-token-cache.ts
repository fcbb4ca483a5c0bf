import { AccessTokenSource } from './access-token-source.ts';
import type { ServiceAccount } from './service-account.ts';

/**
 * One access-token source per service account and token endpoint in the process: every lane's
 * FCM adapter for the same account shares one cached token and one refresh, so N lanes do not
 * ask Google N times (nor hit its grant rate limit). Keyed by client_email and token URL (and
 * replaced when the account's key changes).
 */
const SOURCES = new Map<string, AccessTokenSource>();

export function sharedAccessTokenSource(account: ServiceAccount, tokenUrl: string): AccessTokenSource {
  const key = `${account.clientEmail}\n${tokenUrl}`;
  let source = SOURCES.get(key);
  // A new key for the same account (rotated): its own source, the old key's token is not reused.
  if (source === undefined || !source.account.privateKey.equals(account.privateKey)) {
    source = new AccessTokenSource({ account, tokenUrl });
    SOURCES.set(key, source);
  }
  return source;
}
