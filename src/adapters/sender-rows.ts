import type { EmailSender, KakaoChannel, SenderNumber } from '../ports/sender-registry.ts';

/**
 * Rows of the sender registry as both adapters store them (same column names in SQLite and
 * PostgreSQL). Times are epoch ms from the adapter's clock; PostgreSQL hands bigint back as text.
 * A channel's per-vendor ids are one JSON object (a handful of vendors, never queried by value).
 */
export interface SenderNumberRow {
  readonly number: string;
  readonly is_default: number | boolean;
  readonly label: string | null;
  readonly registered_at: number | string;
}

export interface KakaoChannelRow {
  readonly name: string;
  readonly sender_ids: string | Record<string, string>;
  readonly is_default: number | boolean;
  readonly registered_at: number | string;
}

export interface EmailSenderRow {
  readonly address: string;
  readonly name: string | null;
  readonly is_default: number | boolean;
  readonly registered_at: number | string;
}

export function toEmailSender(row: EmailSenderRow): EmailSender {
  return {
    address: row.address,
    ...(row.name !== null && { name: row.name }),
    isDefault: row.is_default === true || row.is_default === 1,
    registeredAt: Number(row.registered_at),
  };
}

export function toSenderNumber(row: SenderNumberRow): SenderNumber {
  return {
    number: row.number,
    isDefault: row.is_default === true || row.is_default === 1,
    ...(row.label !== null && { label: row.label }),
    registeredAt: Number(row.registered_at),
  };
}

export function toKakaoChannel(row: KakaoChannelRow): KakaoChannel {
  return {
    name: row.name,
    senderIds: typeof row.sender_ids === 'string' ? JSON.parse(row.sender_ids) : row.sender_ids,
    isDefault: row.is_default === true || row.is_default === 1,
    registeredAt: Number(row.registered_at),
  };
}

/**
 * When each entry of a replacing PUT counts as registered: an entry that was already there (the
 * same number, the same channel name) keeps its time, a new one gets `now`. A PUT states the whole
 * list, so re-sending it must not make every number look new.
 */
export function registrationTimes(
  previous: readonly { readonly key: string; readonly registeredAt: number }[],
  keys: readonly string[],
  now: number,
): number[] {
  const known = new Map(previous.map((entry) => [entry.key, entry.registeredAt]));
  return keys.map((key) => known.get(key) ?? now);
}

/** Oldest first; entries of one PUT in the order given (`position`). */
export const SENDER_ORDER = 'ORDER BY registered_at, position';
