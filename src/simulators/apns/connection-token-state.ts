/** Apple: update the provider token no more than once every 20 minutes. */
export const MIN_TOKEN_UPDATE_INTERVAL_MS = 20 * 60_000;

/**
 * The provider token one HTTP/2 connection authenticates with, per vendor (one team per
 * connection). APNs answers 429 TooManyProviderTokenUpdates when a connection switches to a new
 * valid token less than 20 minutes after its last switch; the refused token does not become the
 * connection's token. Only tokens that passed verification come here.
 */
export class ConnectionTokenState {
  readonly #byVendor = new Map<string, { token: string; sinceMs: number }>();

  /** Whether `token` may be used on this connection now; records it when it is a new one. */
  accept(vendorId: string, token: string, nowMs: number): boolean {
    const current = this.#byVendor.get(vendorId);
    if (current?.token === token) return true;
    if (current !== undefined && nowMs - current.sinceMs < MIN_TOKEN_UPDATE_INTERVAL_MS) return false;
    this.#byVendor.set(vendorId, { token, sinceMs: nowMs });
    return true;
  }
}
