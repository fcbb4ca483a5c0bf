import { Type } from 'typebox';
import { VENDOR_KINDS } from '../../ports/vendor.ts';

/** Schemas of the operational endpoints: health and the in-process simulators' counters. */
const ComponentStatus = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

export const HealthResponse = Type.Object({
  status: Type.Enum(['ok', 'unavailable'], { type: 'string' }),
  components: Type.Record(Type.String(), ComponentStatus),
  vendors: Type.Optional(
    Type.Record(Type.String(), Type.Enum([...VENDOR_KINDS], { type: 'string' }), {
      description:
        'Per vendor id: a simulator in this process, a simulator process of its own, or the real provider',
    }),
  ),
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

/** Receipts a simulated text vendor reported final, by carrier (SKT, KT, LGU+, MVNO, unknown). */
const CarrierCounts = Type.Record(Type.String(), Type.Integer());

export const SimulatorStatsResponse = Type.Object({
  vendors: Type.Record(Type.String(), VendorCounts),
  receipts: Type.Optional(
    Type.Record(Type.String(), Type.Object({ delivered: CarrierCounts, undelivered: CarrierCounts })),
  ),
});
