/**
 * The status-callback topics: status changes as they happen, their retries (each with a
 * not-before time, like the lanes' retry topics), and what was given up after the retry window
 * (kept for an operator to inspect or replay; nothing reads it).
 */
export function callbacksTopic(): string {
  return 'herald.callbacks';
}

export function callbacksRetryTopic(): string {
  return 'herald.callbacks.retry';
}

export function callbacksDeadTopic(): string {
  return 'herald.callbacks.dead';
}

export function callbackTopics(): string[] {
  return [callbacksTopic(), callbacksRetryTopic(), callbacksDeadTopic()];
}
