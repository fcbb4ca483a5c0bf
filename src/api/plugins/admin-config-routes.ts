import { withoutInlineSecrets } from '../../config/inline-secret-rules.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../core/domain/remote-config.ts';
import type { ConfigStore } from '../../ports/config-store.ts';
import type { VendorCatalogue } from '../../ports/vendor.ts';
import { assertValidRemoteConfig } from '../remote-config-rules.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import {
  IfMatchHeaders,
  RemoteConfigDocumentSchema,
  RemoteConfigResponse,
} from '../schemas/remote-config.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

const security = [{ bearerAuth: [] }];

/**
 * GET/PUT /admin/config. The version works as an ETag: PUT with `If-Match: <version>` stores only
 * if nobody stored a newer version since (409 otherwise), so two operators editing at once cannot
 * silently overwrite each other. Without If-Match the PUT is unconditional.
 *
 * A PUT is checked whole before Fastify's own schema check (preValidation), so the answer lists
 * every problem (HERALD_INVALID_CONFIG), not the first one; `vendors` are the ones this
 * deployment's simulator hosts, so a channel cannot be routed to a vendor without an adapter or one
 * that does not serve it. A changed vendor definition (kind, endpoint, credential reference)
 * applies live too: each worker rebuilds that vendor's adapters (vendor-fleet.ts). Secrets are
 * referenced, never stored (inline-secret-rules.ts), so GET returns the document as stored.
 */
export function registerConfigRoutes(
  app: TypeBoxApp,
  store: Pick<ConfigStore, 'getRemoteConfig' | 'putRemoteConfig'>,
  vendors: VendorCatalogue,
): void {
  app.get(
    '/config',
    {
      schema: {
        summary: 'The current remote config and its version',
        tags: ['admin'],
        security,
        response: { 200: RemoteConfigResponse, ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse },
      },
    },
    async (_request, reply) => {
      const config = await store.getRemoteConfig();
      if (!config) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no remote config is stored yet; PUT one');
      }
      return reply
        .header('etag', etag(config))
        .send({ ...config, document: withoutInlineSecrets(config.document) });
    },
  );

  app.put(
    '/config',
    {
      schema: {
        summary: 'Store a new remote config version (applied live by every worker)',
        tags: ['admin'],
        security,
        headers: IfMatchHeaders,
        body: RemoteConfigDocumentSchema,
        response: {
          200: RemoteConfigResponse,
          ...AUTHENTICATED_ERROR_RESPONSES,
          403: ErrorResponse,
          409: ErrorResponse,
        },
      },
      preValidation: async (request) => assertValidRemoteConfig(request.body, vendors),
    },
    async (request, reply) => {
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      // The schema types each vendor's fields loosely; preValidation checked them per kind.
      const stored = await store.putRemoteConfig(request.body as RemoteConfigDocument, expectedVersion);
      return reply.header('etag', etag(stored)).send(stored);
    },
  );
}

function etag(config: RemoteConfig): string {
  return `"${config.version}"`;
}

/** `3`, `"3"` and `W/"3"` all mean version 3; `*` (or no header) means any version. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') {
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      'header if-match must be the config version you read (the ETag of GET /admin/config), e.g. "3"',
      { field: 'if-match' },
    );
  }
  return Number(match[1]);
}
