import { Type } from 'typebox';
import { REMOTE_CONFIG_BOUNDS } from '../../config/remote-config-bounds.ts';
import { Bounded, range, VENDOR_ID } from './config-bounds-schema.ts';
import { VendorSettings } from './vendor-settings-schema.ts';

/**
 * The remote config document as admins PUT it. The schema checks shape and every number's range
 * (from remote-config-bounds.ts, so each description carries its unit and range into the OpenAPI
 * document); rules that span fields or need this deployment's vendors are in
 * remote-config-rules.ts, which lists every problem at once. Vendor settings are in
 * vendor-settings-schema.ts.
 */

/** Client ids are free text (herald keys create --client); any printable id up to 128 characters. */
const CLIENT_ID = '^[^\\u0000-\\u001f\\u007f]{1,128}$';

const VendorRoutes = Type.Immutable(
  Type.Array(
    Type.Object(
      {
        vendor: Type.String({
          pattern: VENDOR_ID,
          description: 'A vendor of this deployment serving the channel',
        }),
        weight: Type.Number({
          ...range('vendorWeight'),
          description: `Share of traffic; 0 switches the vendor off. ${range('vendorWeight').description}`,
        }),
      },
      { additionalProperties: false },
    ),
    {
      minItems: REMOTE_CONFIG_BOUNDS.routesPerChannel.min,
      maxItems: REMOTE_CONFIG_BOUNDS.routesPerChannel.max,
    },
  ),
);

const LaneSettings = Type.Object(
  {
    batchSize: Bounded('batchSize', 'Records fetched per poll'),
    maxInFlight: Bounded(
      'maxInFlight',
      'Records taken and not finished; at the limit the lane stops fetching',
    ),
    metadataConcurrency: Bounded('metadataConcurrency', 'Concurrent metadata lookups (templates, tokens)'),
    sendConcurrency: Bounded('sendConcurrency', 'Concurrent vendor calls'),
    bulkVendorCalls: Type.Optional(
      Type.Boolean({
        description:
          'Batch and ad lanes: many messages per vendor call where the wire allows (NHN recipientList, ' +
          'SENS messages, SOLAPI send-many), each keeping its own result. Never on realtime',
      }),
    ),
  },
  { additionalProperties: false },
);

const ClientRateLimit = Type.Object(
  {
    requestsPerSecond: Bounded('requestsPerSecond', 'API calls per second'),
    requestBurst: Bounded('requestBurst', 'API calls beyond the per-second rate'),
    recipientsPerSecond: Bounded('recipientsPerSecond', 'Recipients per second over all POST /v1/messages'),
    recipientBurst: Bounded('recipientBurst', 'Recipients beyond the per-second rate'),
  },
  { additionalProperties: false },
);

const RateLimits = Type.Object(
  {
    default: ClientRateLimit,
    clients: Type.Optional(
      Type.Record(Type.String({ pattern: CLIENT_ID }), ClientRateLimit, {
        additionalProperties: false,
        maxProperties: REMOTE_CONFIG_BOUNDS.rateLimitClients.max,
        description: 'Limits per client id, replacing the default for that client',
      }),
    ),
    failedAuth: Type.Object(
      {
        maxFailures: Bounded('failedAuthMaxFailures', 'Failed authentications from one address'),
        windowSeconds: Bounded('failedAuthWindowSeconds', 'Window the failures are counted in'),
        blockSeconds: Bounded('failedAuthBlockSeconds', 'How long the address is then answered 429'),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: 'Per-client rate limits (429 HERALD_RATE_LIMITED); absent: the built-in defaults',
  },
);

/** Status callbacks: the URL allowlist and the worker's batching, retry and pause settings. */
const CallbackSettingsSchema = Type.Object(
  {
    allow: Type.Immutable(
      Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
        maxItems: 1_000,
        description:
          'Host names (hooks.example.com, *.example.com) and IPs or CIDR networks callback URLs may point at; private, loopback and metadata addresses only when a listed network holds them',
      }),
    ),
    allowHttp: Type.Optional(
      Type.Immutable(
        Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
          maxItems: 100,
          description: 'Hosts whose callback URLs may be plain http (local receivers and tests only)',
        }),
      ),
    ),
    timeoutMs: Type.Optional(Bounded('callbackTimeoutMs', 'Hard time limit of one callback POST')),
    batchSize: Type.Optional(Bounded('callbackBatchSize', 'Most events in one callback POST')),
    retryBaseDelayMs: Type.Optional(
      Bounded('callbackRetryBaseDelayMs', 'First retry delay of a callback batch'),
    ),
    retryMaxDelayMs: Type.Optional(
      Bounded('callbackRetryMaxDelayMs', 'Longest retry delay of a callback batch'),
    ),
    giveUpAfterMs: Type.Optional(Bounded('callbackGiveUpAfterMs', 'How long a callback is retried')),
    pauseAfterMs: Type.Optional(Bounded('callbackPauseAfterMs', 'When a failing receiver is paused')),
    pausedRecheckMs: Type.Optional(Bounded('callbackPausedRecheckMs', 'Resume look of a paused receiver')),
  },
  { additionalProperties: false },
);

export const RemoteConfigDocumentSchema = Type.Object(
  {
    routing: Type.Object(
      {
        push: VendorRoutes,
        sms: VendorRoutes,
        lms: VendorRoutes,
        mms: VendorRoutes,
        alimtalk: VendorRoutes,
        email: VendorRoutes,
        vms: VendorRoutes,
      },
      { additionalProperties: false, description: 'Weighted vendors per channel' },
    ),
    vendors: Type.Record(Type.String({ pattern: VENDOR_ID }), VendorSettings, {
      additionalProperties: false,
      minProperties: REMOTE_CONFIG_BOUNDS.vendors.min,
      maxProperties: REMOTE_CONFIG_BOUNDS.vendors.max,
      description: 'Time limit and breaker per vendor id',
    }),
    lanes: Type.Object(
      { realtime: LaneSettings, batch: LaneSettings, ad: LaneSettings },
      { additionalProperties: false },
    ),
    retry: Type.Object(
      {
        baseDelayMs: Bounded('retryBaseDelayMs', 'First retry delay'),
        maxDelayMs: Bounded('retryMaxDelayMs', 'Longest retry delay'),
        maxAttempts: Bounded('retryMaxAttempts', 'Attempts before a retryable failure ends as failed'),
      },
      { additionalProperties: false },
    ),
    dedup: Type.Object(
      {
        windowMs: Bounded('dedupWindowMs', 'How long a sent message key is remembered'),
        reserveTtlMs: Bounded(
          'dedupReserveTtlMs',
          'How long a reservation lives; above every vendor timeout',
        ),
      },
      { additionalProperties: false },
    ),
    smsAutoUpgrade: Type.Boolean({
      description: 'Send an SMS over 90 EUC-KR bytes as LMS instead of refusing it',
    }),
    defaultExpiresInSeconds: Bounded(
      'defaultExpiresInSeconds',
      'Expiry of a message whose request gives none',
    ),
    rateLimits: Type.Optional(RateLimits),
    callbacks: Type.Optional(CallbackSettingsSchema),
  },
  { additionalProperties: false },
);

export const RemoteConfigResponse = Type.Object({
  version: Type.Integer(),
  updatedAt: Type.Integer({ description: 'Epoch ms' }),
  document: RemoteConfigDocumentSchema,
});

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 32,
      description: 'The version you read (ETag); a newer stored version answers 409',
    }),
  ),
});
