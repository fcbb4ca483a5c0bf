/**
 * Device tokens a test or drill declared dead, per vendor: from then on the push contracts answer
 * them as the real services answer an uninstalled app (FCM 404 UNREGISTERED, APNs 410 Unregistered
 * with the time it became invalid). Tokens are kept as given; the simulator never logs them.
 */
export class DeadTokens {
  /** vendor id -> token -> epoch ms when it was marked dead (APNs reports it as `timestamp`). */
  readonly #byVendor = new Map<string, Map<string, number>>();

  /** Returns how many of `tokens` were not dead before. */
  mark(vendorId: string, tokens: Iterable<string>, nowMs: number = Date.now()): number {
    let dead = this.#byVendor.get(vendorId);
    if (dead === undefined) {
      dead = new Map();
      this.#byVendor.set(vendorId, dead);
    }
    let added = 0;
    for (const token of tokens) {
      if (dead.has(token)) continue;
      dead.set(token, nowMs);
      added += 1;
    }
    return added;
  }

  /** When `token` was marked dead for `vendorId` (epoch ms), or undefined while it is live. */
  deadSince(vendorId: string, token: string): number | undefined {
    return this.#byVendor.get(vendorId)?.get(token);
  }

  clear(): void {
    this.#byVendor.clear();
  }
}
