import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Admission } from '../../core/admission/admission.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { SubmissionContext, SubmissionResult } from '../../core/submission/submission-types.ts';
import { submitIdempotently } from '../../core/submission/submit-idempotently.ts';
import type { HistoryStore } from '../../ports/history-store.ts';
import type { ApiKeyAuthenticator } from '../api-key-auth.ts';
import { callerOf, requireApiKey } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse, IdParams } from '../schemas/common.ts';
import { IDEMPOTENT_REPLAYED_HEADER, SubmitMessagesHeaders } from '../schemas/idempotency-key.ts';
import { MessageViewResponse, RequestViewResponse } from '../schemas/message-views.ts';
import { SubmitMessagesBody } from '../schemas/submit-request.ts';
import { NoValidRecipientsResponse, SubmitMessagesResponse } from '../schemas/submit-response.ts';
import { registerClientTemplateRoutes } from './client-template-routes.ts';
import type { DeviceStore } from './device-routes.ts';
import { registerDeviceRoutes } from './device-routes.ts';
import type { OptOutStore } from './opt-out-routes.ts';
import { registerOptOutRoutes } from './opt-out-routes.ts';
import type { SenderRoutesOptions } from './sender-routes.ts';
import { registerSenderRoutes } from './sender-routes.ts';
import type { TemplateApiDeps } from './template-checks.ts';
import { registerWebhookRoutes, type WebhookApi } from './webhook-routes.ts';

export interface PublicApiOptions {
  readonly submission: SubmissionContext;
  readonly optOuts: OptOutStore;
  /** Push tokens per user: PUT/DELETE /v1/devices, GET /v1/users/:userId/devices. */
  readonly devices: DeviceStore;
  /** The client's AlimTalk templates: /v1/templates. */
  readonly templates: TemplateApiDeps;
  /** Sender numbers, Kakao channels, image hosts: PUT (admin) and GET /v1/sender-numbers... */
  readonly senders: SenderRoutesOptions;
  readonly history: Pick<HistoryStore, 'getRequest' | 'getMessage'>;
  readonly authenticator: ApiKeyAuthenticator;
  /** Per-client rate limits and failed-auth throttling. */
  readonly admission: Admission;
  /** Status callbacks: PUT/GET/DELETE /v1/webhooks, POST /v1/webhooks/resume (absent: not served). */
  readonly webhooks?: WebhookApi;
}

const security = [{ bearerAuth: [] }];

/**
 * The client API under /v1: submit messages, read back a request or a message, keep the
 * advertising opt-out list and the push devices of its users. Every route needs an API key; a client only ever sees its own
 * requests, messages and opt-outs (everything is scoped by client id).
 *
 * Rate limits (429 HERALD_RATE_LIMITED): every call counts against its client's requests/s,
 * checked right after authentication and before the body is read; POST /messages also counts its
 * recipients against recipients/s once the body is validated. Either refusal comes before
 * submitMessages, so a limited request leaves nothing behind.
 */
export const publicApi: FastifyPluginAsyncTypebox<PublicApiOptions> = async (app, options) => {
  const { admission } = options;
  requireApiKey(app, options.authenticator, admission);
  app.addHook('onRequest', async (request) => admission.admitRequest(callerOf(request).clientId));
  registerOptOutRoutes(app, options.optOuts, options.submission.recipientHashSecret);
  registerClientTemplateRoutes(app, options.templates);
  registerDeviceRoutes(app, {
    devices: options.devices,
    recipientHashSecret: options.submission.recipientHashSecret,
  });
  registerSenderRoutes(app, options.senders);
  if (options.webhooks) registerWebhookRoutes(app, options.webhooks);

  app.post(
    '/messages',
    {
      schema: {
        summary: 'Send one message to each of up to 100 recipients',
        tags: ['messages'],
        security,
        headers: SubmitMessagesHeaders,
        body: SubmitMessagesBody,
        response: {
          202: SubmitMessagesResponse,
          ...AUTHENTICATED_ERROR_RESPONSES,
          409: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          422: NoValidRecipientsResponse,
        },
      },
      preHandler: async (request) =>
        admission.admitRecipients(callerOf(request).clientId, request.body.recipients.length),
    },
    async (request, reply) => {
      const { result, replayed } = await submitIdempotently(options.submission, {
        ...request.body,
        clientId: callerOf(request).clientId,
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
      return reply.status(202).send(summarise(result));
    },
  );

  app.get(
    '/requests/:id',
    {
      schema: {
        summary: 'Per-recipient status of one request',
        tags: ['messages'],
        security,
        params: IdParams,
        response: { 200: RequestViewResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const view = await options.history.getRequest(callerOf(request).clientId, request.params.id);
      if (!view) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no request with this id for your client', { field: 'id' });
      }
      return view;
    },
  );

  app.get(
    '/messages/:id',
    {
      schema: {
        summary: 'One message with its full event history',
        tags: ['messages'],
        security,
        params: IdParams,
        response: { 200: MessageViewResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const view = await options.history.getMessage(callerOf(request).clientId, request.params.id);
      if (!view) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no message with this id for your client', { field: 'id' });
      }
      return view;
    },
  );
};

function summarise(result: SubmissionResult) {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const message of result.messages) {
    if ('error' in message) rejected += 1;
    else if (message.status === 'duplicate') duplicates += 1;
    else accepted += 1;
  }
  return { requestId: result.requestId, accepted, duplicates, rejected, messages: result.messages };
}
