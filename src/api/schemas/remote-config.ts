import { Type } from 'typebox';

/**
 * The remote config document as admins PUT it. The schema checks shape and ranges; rules that
 * span fields (every routed vendor has settings...) are in remote-config-rules.ts, which lists
 * every violation at once.
 */
const VENDOR_ID = '^[a-z0-9][a-z0-9._-]{0,63}$';
const PositiveMs = (description: string) => Type.Integer({ minimum: 1, description });

const VendorRoutes = Type.Immutable(
  Type.Array(
    Type.Object(
      {
        vendor: Type.String({ pattern: VENDOR_ID }),
        weight: Type.Number({ minimum: 0, description: 'Share of traffic; 0 switches the vendor off' }),
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 16 },
  ),
);

const VendorSettings = Type.Object(
  {
    timeoutMs: PositiveMs('Hard time limit of one vendor call, ms'),
    breakerThreshold: Type.Integer({
      minimum: 1,
      description:
        'Consecutive faults that open the circuit, provided at least half of the calls of the last 10 s failed',
    }),
    breakerHalfOpenAfterMs: PositiveMs('Wait before one trial call through an open circuit, ms'),
  },
  { additionalProperties: false },
);

const LaneSettings = Type.Object(
  {
    batchSize: Type.Integer({ minimum: 1, maximum: 10_000 }),
    maxInFlight: Type.Integer({ minimum: 1 }),
    metadataConcurrency: Type.Integer({ minimum: 1 }),
    sendConcurrency: Type.Integer({ minimum: 1 }),
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
    vendors: Type.Record(Type.String({ pattern: VENDOR_ID }), VendorSettings, { maxProperties: 256 }),
    lanes: Type.Object(
      { realtime: LaneSettings, batch: LaneSettings, ad: LaneSettings },
      { additionalProperties: false },
    ),
    retry: Type.Object(
      {
        baseDelayMs: PositiveMs('First retry delay, ms'),
        maxDelayMs: PositiveMs('Longest retry delay, ms'),
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100 }),
      },
      { additionalProperties: false },
    ),
    dedup: Type.Object(
      {
        windowMs: PositiveMs('How long a sent message key is remembered, ms'),
        reserveTtlMs: PositiveMs('How long a reservation lives, ms; above every vendor timeout'),
      },
      { additionalProperties: false },
    ),
    smsAutoUpgrade: Type.Boolean({
      description: 'Send an SMS over 90 EUC-KR bytes as LMS instead of refusing it',
    }),
    defaultExpiresInSeconds: Type.Integer({ minimum: 1 }),
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
