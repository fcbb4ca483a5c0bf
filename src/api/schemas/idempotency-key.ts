import { Type } from 'typebox';
import { IDEMPOTENCY_KEY_MAX } from '../../core/submission/check-request.ts';

/** Set to "true" on a 202 that repeats the stored answer of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export const SubmitMessagesHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX,
      description:
        'Makes a retry safe, per client, for the dedup window (24 h by default). The same key with ' +
        'the same body (canonical JSON: member order does not matter) answers the first 202 again, ' +
        'same requestId and message ids, with header Idempotent-Replayed: true, and sends nothing new. ' +
        'The same key with another body: 422 HERALD_IDEMPOTENCY_KEY_REUSED. While the first request ' +
        'is still being accepted: 409 HERALD_IDEMPOTENCY_IN_PROGRESS (retry after Retry-After). A ' +
        'request refused (4xx) or answered 503 stores nothing: retry it with the same key. ' +
        'Without a key, every request is new',
    }),
  ),
});
