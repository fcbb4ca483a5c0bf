import type { PushProvider } from '../core/domain/push-provider.ts';
import type { DevicePlatform, DeviceView, LiveDevice } from '../ports/device-registry.ts';

/**
 * A device row as both registry adapters store it (same column names in SQLite and PostgreSQL).
 * Times are epoch ms from the caller's clock; PostgreSQL hands bigint back as text, hence the union.
 */
export interface DeviceRow {
  readonly token_masked: string;
  readonly token_hash: string;
  readonly provider: string;
  readonly platform: string;
  readonly app: string;
  readonly user_id: string | null;
  readonly created_at: number | string;
  readonly updated_at: number | string;
  readonly dead_at: number | string | null;
  readonly dead_reason: string | null;
}

/** A live device row: what the sender needs, the token in clear. */
export interface LiveDeviceRow {
  readonly user_id: string;
  readonly token: string;
  readonly token_hash: string;
  readonly provider: string;
  readonly platform: string;
  readonly app: string;
}

/** Columns of a view, without the token: API reads never load it. */
export const DEVICE_VIEW_COLUMNS =
  'token_masked, token_hash, provider, platform, app, user_id, created_at, updated_at, dead_at, dead_reason';

export const LIVE_DEVICE_COLUMNS = 'user_id, token, token_hash, provider, platform, app';

export function toDeviceView(row: DeviceRow): DeviceView {
  return {
    tokenMasked: row.token_masked,
    tokenHash: row.token_hash,
    // The tables' CHECK constraints admit these values only.
    provider: row.provider as PushProvider,
    platform: row.platform as DevicePlatform,
    app: row.app,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    deadAt: row.dead_at === null ? null : Number(row.dead_at),
    deadReason: row.dead_reason,
  };
}

/** Every asked user id maps to its live devices (oldest first, as the rows come), or to []. */
export function groupLiveDevices(
  userIds: readonly string[],
  rows: readonly LiveDeviceRow[],
): Map<string, LiveDevice[]> {
  const byUser = new Map<string, LiveDevice[]>(userIds.map((userId) => [userId, []]));
  for (const row of rows) {
    byUser.get(row.user_id)?.push({
      token: row.token,
      tokenHash: row.token_hash,
      provider: row.provider as PushProvider,
      platform: row.platform as DevicePlatform,
      app: row.app,
    });
  }
  return byUser;
}

/** One death per token hash (the first given), so a batch never updates a row twice. */
export function uniqueDeaths<T extends { readonly tokenHash: string }>(deaths: readonly T[]): T[] {
  return [...new Map(deaths.map((death) => [death.tokenHash, death] as const).reverse()).values()];
}
