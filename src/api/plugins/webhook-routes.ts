import { Type } from 'typebox';
import type { WebhookRegistry } from '../../core/callbacks/webhook-registry.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import { callerOf } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import { PutWebhookBody, PutWebhookResponse, WebhookResponse } from '../schemas/webhooks.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

export type WebhookApi = Pick<WebhookRegistry, 'register' | 'view' | 'remove' | 'resume'>;

const security = [{ bearerAuth: [] }];
const tags = ['webhooks'];

/**
 * A client's status callbacks (docs/callbacks.md): register the receiver (PUT; the answer carries
 * the signing secret when one was made), read its state (GET: active or paused, the last error;
 * never the secret), remove it (DELETE) and resume a paused one (POST /resume). Each key acts on
 * its own client only.
 */
export function registerWebhookRoutes(app: TypeBoxApp, webhooks: WebhookApi): void {
  app.put(
    '/webhooks',
    {
      schema: {
        summary: 'Register (or replace) where status changes of your messages are POSTed',
        tags,
        security,
        body: PutWebhookBody,
        response: { 200: PutWebhookResponse, ...AUTHENTICATED_ERROR_RESPONSES, 422: ErrorResponse },
      },
    },
    async (request) => {
      const { url, rotateSecret, previousSecretTtlSeconds } = request.body;
      return webhooks.register(callerOf(request).clientId, url, {
        ...(rotateSecret !== undefined && { rotateSecret }),
        ...(previousSecretTtlSeconds !== undefined && { overlapSeconds: previousSecretTtlSeconds }),
      });
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        summary: 'Your webhook: URL, state (active or paused) and last error',
        tags,
        security,
        response: { 200: WebhookResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => (await webhooks.view(callerOf(request).clientId)) ?? notRegistered(),
  );

  app.delete(
    '/webhooks',
    {
      schema: {
        summary: 'Stop status callbacks (events not yet delivered are dropped)',
        tags,
        security,
        response: { 204: Type.Null({ description: 'Removed' }), ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      if (!(await webhooks.remove(callerOf(request).clientId))) notRegistered();
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/resume',
    {
      schema: {
        summary: 'Resume a paused webhook: the events kept for it go out',
        tags,
        security,
        response: { 200: WebhookResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => (await webhooks.resume(callerOf(request).clientId)) ?? notRegistered(),
  );
}

function notRegistered(): never {
  throw new HeraldError(
    'HERALD_NOT_FOUND',
    'no webhook is registered for your client; PUT /v1/webhooks first',
  );
}
