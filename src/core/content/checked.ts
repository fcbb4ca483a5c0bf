import type { HeraldError } from '../domain/errors.ts';

/**
 * The outcome of checking one piece of client input: the normalised value, or the error to report.
 * Per-recipient problems are data (one recipient's error never fails the others), so checks return
 * this instead of throwing.
 */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: HeraldError };

export function accept<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function reject<T = never>(error: HeraldError): Checked<T> {
  return { ok: false, error };
}
