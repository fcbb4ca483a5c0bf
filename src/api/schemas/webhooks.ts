import { Type } from 'typebox';

/**
 * Schemas of /v1/webhooks: a client's status-callback registration. Shapes and sizes here; the URL
 * rules (https, allowlist, addresses) in core/callbacks/callback-address-policy.ts.
 */
export const PutWebhookBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2_048,
      description:
        'Where herald POSTs status changes: https, on a host the operator listed in the remote config (callbacks.allow)',
    }),
    rotateSecret: Type.Optional(
      Type.Boolean({
        description:
          'Make a new signing secret (answered once, here); the previous one keeps signing beside it for previousSecretTtlSeconds',
      }),
    ),
    previousSecretTtlSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        description:
          'With rotateSecret: how long the previous secret still signs (default 86400; 0: not at all). ' +
          'Without it, during a rotation: the end of the overlap, set anew from now (0 ends it)',
      }),
    ),
  },
  { additionalProperties: false },
);

const WebhookError = Type.Object({
  at: Type.Integer({ description: 'Epoch ms' }),
  status: Type.Optional(Type.Integer({ description: "The receiver's HTTP status" })),
  error: Type.Optional(Type.String({ description: 'A network, time-out or address-policy error' })),
});

export const WebhookResponse = Type.Object({
  url: Type.String(),
  state: Type.Union([Type.Literal('active'), Type.Literal('paused')], {
    description:
      'paused: the receiver failed for too long; events are kept until a PUT or POST /v1/webhooks/resume',
  }),
  registeredAt: Type.Integer({ description: 'Epoch ms' }),
  updatedAt: Type.Integer({ description: 'Epoch ms' }),
  failingSince: Type.Optional(
    Type.Integer({ description: 'Epoch ms of the first failure without a success since' }),
  ),
  pausedAt: Type.Optional(Type.Integer({ description: 'Epoch ms' })),
  lastError: Type.Optional(WebhookError),
  previousSecretUntil: Type.Optional(
    Type.Integer({ description: 'During a rotation: until when (epoch ms) the previous secret signs too' }),
  ),
});

export const PutWebhookResponse = Type.Object({
  webhook: WebhookResponse,
  secret: Type.Optional(
    Type.String({
      description:
        'The signing secret (whsec_...), only in the answer that made it (first registration or rotateSecret); keep it, herald never shows it again',
    }),
  ),
});
