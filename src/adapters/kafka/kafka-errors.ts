import { findErrorBy } from '@platformatic/kafka';
import { HeraldError } from '../../core/domain/errors.ts';

/** How long a caller should wait before trying again when Kafka is unreachable (Retry-After). */
const RETRY_AFTER_MS = 1_000;

/**
 * Classifies client errors by the Kafka protocol error id (`apiId`) the client attaches to them,
 * never by message text. Nested errors (the client wraps retries in MultipleErrors) are searched too.
 */
export function hasKafkaError(error: unknown, apiId: string): boolean {
  return error instanceof Error && findErrorBy(error, 'apiId', apiId) !== null;
}

/**
 * The broker does not know the topic (yet): UNKNOWN_TOPIC_OR_PARTITION, which @platformatic/kafka's
 * metadata call turns into a plain `Unknown topic <name>.` UserError without the Kafka code.
 */
export function isUnknownTopic(error: unknown): boolean {
  return (
    hasKafkaError(error, 'UNKNOWN_TOPIC_OR_PARTITION') ||
    (error instanceof Error && error.message.startsWith('Unknown topic '))
  );
}

/** Kafka could not do it right now (broker down, leader moving, timeout): retry later, 503 at the API. */
export function kafkaUnavailable(what: string, cause: unknown): HeraldError {
  if (cause instanceof HeraldError) return cause;
  return new HeraldError('HERALD_UNAVAILABLE', `kafka: could not ${what}`, {
    retryable: true,
    retryAfterMs: RETRY_AFTER_MS,
    cause,
  });
}

/** Turns a produce failure into herald's error: an unknown topic is a bug, anything else is an outage. */
export function produceError(cause: unknown): HeraldError {
  if (hasKafkaError(cause, 'UNKNOWN_TOPIC_OR_PARTITION') || hasKafkaError(cause, 'UNKNOWN_TOPIC_ID')) {
    return new HeraldError('HERALD_INTERNAL', 'kafka: produce to a topic that does not exist', { cause });
  }
  return kafkaUnavailable('append the records (not acknowledged by every in-sync replica)', cause);
}
