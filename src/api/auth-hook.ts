import type { FastifyRequest } from 'fastify';
import type { Admission } from '../core/admission/admission.ts';
import { HeraldError, isHeraldError } from '../core/domain/errors.ts';
import type { ApiKeyRecord, ApiKeyRole } from '../ports/config-store.ts';
import type { ApiKeyAuthenticator } from './api-key-auth.ts';
import type { TypeBoxApp } from './typebox-app.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's API key record; set by the auth hook of the plugin that serves the route. */
    apiKey: ApiKeyRecord | null;
  }
}

/**
 * Adds bearer-key authentication to every route of the (encapsulated) plugin it is called in.
 * It runs on `onRequest`, before the body is read, so an unauthenticated caller cannot make herald
 * parse and validate a large body. With `role`, keys without that role get 403.
 *
 * Guessing keys is throttled per source address: an address with too many failed
 * authentications is answered 429 before its key is even looked up (admission.ts), so a key
 * scan costs herald one counter read per attempt and never reaches the config store.
 */
export function requireApiKey(
  app: TypeBoxApp,
  authenticator: ApiKeyAuthenticator,
  admission: Pick<Admission, 'checkAddress' | 'authFailed'>,
  role?: ApiKeyRole,
): void {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    await admission.checkAddress(request.ip);
    let record: ApiKeyRecord;
    try {
      record = await authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      if (isHeraldError(error) && error.code === 'HERALD_UNAUTHORIZED')
        await admission.authFailed(request.ip);
      throw error;
    }
    if (role !== undefined && record.role !== role) {
      throw new HeraldError('HERALD_FORBIDDEN', `this call needs an API key with the ${role} role`);
    }
    request.apiKey = record;
  });
}

/** The authenticated caller; only valid on routes behind `requireApiKey`. */
export function callerOf(request: FastifyRequest): ApiKeyRecord {
  if (!request.apiKey) {
    throw new HeraldError('HERALD_UNAUTHORIZED', 'send your API key as "Authorization: Bearer <key>"');
  }
  return request.apiKey;
}
