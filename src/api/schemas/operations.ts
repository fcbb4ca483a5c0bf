import { Type } from 'typebox';

/** Schemas of the operational endpoints: health and the in-process simulators' counters. */
const ComponentStatus = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

export const HealthResponse = Type.Object({
  status: Type.Enum(['ok', 'unavailable'], { type: 'string' }),
  components: Type.Record(Type.String(), ComponentStatus),
});

const VendorCounts = Type.Object({
  received: Type.Integer({ description: 'Deliveries accepted (answered with success)' }),
  distinct: Type.Integer({ description: 'Distinct message ids received' }),
  duplicates: Type.Integer({ description: 'Deliveries that repeated a message id already received' }),
  idempotentReplays: Type.Optional(
    Type.Integer({
      description: 'Repeated Idempotency-Keys answered with the first result, not delivered again',
    }),
  ),
});

export const SimulatorStatsResponse = Type.Object({ vendors: Type.Record(Type.String(), VendorCounts) });
