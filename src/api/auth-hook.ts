import type { FastifyRequest } from 'fastify';
import { HeraldError } from '../core/domain/errors.ts';
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
 */
export function requireApiKey(app: TypeBoxApp, authenticator: ApiKeyAuthenticator, role?: ApiKeyRole): void {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    const record = await authenticator.authenticate(request.headers.authorization);
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
