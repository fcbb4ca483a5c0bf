import { CHANNELS } from '../core/domain/channel.ts';
import { HeraldError } from '../core/domain/errors.ts';
import { LANES } from '../core/domain/lane.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';

/**
 * Rules of a remote config that span fields, checked before a new version is stored. A bad
 * document applied live would stop a channel on every worker within a second, so every violation
 * is listed at once (fix them all in one round) and nothing is stored until none is left.
 *
 * A channel whose vendors all weigh 0 is allowed: that is the deliberate kill switch of a channel.
 */
export function findRemoteConfigViolations(document: RemoteConfigDocument): string[] {
  const violations: string[] = [];
  for (const channel of CHANNELS) {
    const routes = document.routing[channel] ?? [];
    if (routes.length === 0) {
      violations.push(`routing.${channel} has no vendor: every channel must be routed`);
    }
    const seen = new Set<string>();
    routes.forEach((route, index) => {
      const where = `routing.${channel}[${index}]`;
      if (!Object.hasOwn(document.vendors, route.vendor)) {
        violations.push(
          `${where}: vendor "${route.vendor}" has no entry in vendors (timeoutMs, breaker settings)`,
        );
      }
      if (seen.has(route.vendor)) {
        violations.push(`${where}: vendor "${route.vendor}" is listed twice for ${channel}`);
      }
      seen.add(route.vendor);
      if (!(Number.isFinite(route.weight) && route.weight >= 0)) {
        violations.push(`${where}.weight must be a number >= 0`);
      }
    });
  }
  for (const [vendor, settings] of Object.entries(document.vendors)) {
    if (!(settings.timeoutMs > 0)) violations.push(`vendors.${vendor}.timeoutMs must be > 0`);
    if (!(settings.breakerThreshold >= 1)) violations.push(`vendors.${vendor}.breakerThreshold must be >= 1`);
    if (settings.timeoutMs >= document.dedup.reserveTtlMs) {
      violations.push(
        `vendors.${vendor}.timeoutMs (${settings.timeoutMs}) must be below dedup.reserveTtlMs ` +
          `(${document.dedup.reserveTtlMs}): a reservation must outlive the call it protects`,
      );
    }
  }
  for (const lane of LANES) {
    const settings = document.lanes[lane];
    for (const field of ['batchSize', 'maxInFlight', 'metadataConcurrency', 'sendConcurrency'] as const) {
      if (!(settings[field] >= 1)) violations.push(`lanes.${lane}.${field} must be >= 1`);
    }
    if (settings.maxInFlight < settings.batchSize) {
      violations.push(`lanes.${lane}.maxInFlight must be >= batchSize, or a full batch could never be taken`);
    }
  }
  if (document.retry.baseDelayMs > document.retry.maxDelayMs) {
    violations.push('retry.baseDelayMs must not exceed retry.maxDelayMs');
  }
  return violations;
}

export function assertValidRemoteConfig(document: RemoteConfigDocument): void {
  const violations = findRemoteConfigViolations(document);
  if (violations.length > 0) {
    throw new HeraldError(
      'HERALD_INVALID_CONFIG',
      `the remote config has ${violations.length} problem(s): ${violations.join('; ')}`,
    );
  }
}
