import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** What every contract factory returns: a fresh adapter and a way to dispose of it. */
export interface ContractSubject<T> {
  readonly store: T;
  readonly cleanup: () => Promise<void>;
}

export type ContractFactory<T> = () => Promise<ContractSubject<T>>;

/** A name no other test (or earlier run against a shared service) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export { sleep };

/** Resolves with the promise's value, or rejects when it takes longer than `ms` (an event that never came). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timeout = sleep(ms, undefined, { signal: controller.signal }).then(() => {
    throw new Error(`${what} did not happen within ${ms} ms`);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    controller.abort();
    timeout.catch(() => {});
  }
}
