import type { RateLimiter, RateRule } from '../../ports/rate-limiter.ts';
import { HeraldError } from '../domain/errors.ts';
import {
  BURST_WINDOW_SECONDS,
  type ClientRateLimit,
  type RateLimitSettings,
} from '../domain/remote-config.ts';

/** Which limit refused a call (the metric's label). */
export type LimitName = 'requests' | 'recipients' | 'failed-auth';

/**
 * Whether a call may go on, by the rate limits of the live remote config: per client, API calls
 * and recipients a second (each with a burst allowance); per source address, failed
 * authentications. Every refusal is HERALD_RATE_LIMITED (429) with Retry-After and a message that
 * names the limit and when to retry.
 */
export interface Admission {
  /** Before the key lookup: refuses an address that failed authentication too often. */
  checkAddress(address: string): Promise<void>;
  /** After an authentication from `address` failed (401). */
  authFailed(address: string): Promise<void>;
  /** One API call of `clientId`. */
  admitRequest(clientId: string): Promise<void>;
  /** The `count` recipients of one POST /v1/messages of `clientId`. */
  admitRecipients(clientId: string, count: number): Promise<void>;
}

export interface AdmissionDeps {
  readonly limiter: Pick<RateLimiter, 'consume' | 'peek'>;
  /** The live rate limits (remote config). */
  readonly rateLimits: () => RateLimitSettings;
  /** Told of each refusal (a metric). */
  readonly onLimited?: (limit: LimitName) => void;
}

export function createAdmission(deps: AdmissionDeps): Admission {
  const refuse = (limit: LimitName, message: string, retryAfterMs: number): never => {
    deps.onLimited?.(limit);
    const seconds = Math.ceil(retryAfterMs / 1_000);
    throw new HeraldError('HERALD_RATE_LIMITED', `${message}; retry after ${seconds} s`, {
      retryable: true,
      retryAfterMs,
    });
  };
  const failedAuthRule = (): RateRule => {
    const { maxFailures, windowSeconds, blockSeconds } = deps.rateLimits().failedAuth;
    return { name: 'failed-auth', points: maxFailures, windowSeconds, blockSeconds };
  };

  return {
    async checkAddress(address) {
      const rule = failedAuthRule();
      const decision = await deps.limiter.peek(rule, address);
      if (!decision.allowed) {
        refuse(
          'failed-auth',
          `too many failed authentications from your address (more than ${rule.points} in ${rule.windowSeconds} s)`,
          decision.retryAfterMs,
        );
      }
    },

    async authFailed(address) {
      await deps.limiter.consume(failedAuthRule(), address, 1);
    },

    async admitRequest(clientId) {
      const limit = limitOf(deps.rateLimits(), clientId);
      const rule = perSecond('requests', limit.requestsPerSecond, limit.requestBurst);
      const decision = await deps.limiter.consume(rule, clientId, 1);
      if (!decision.allowed) {
        refuse(
          'requests',
          `client ${clientId} is over its request rate limit (${describe(rule, 'calls')})`,
          decision.retryAfterMs,
        );
      }
    },

    async admitRecipients(clientId, count) {
      const limit = limitOf(deps.rateLimits(), clientId);
      const rule = perSecond('recipients', limit.recipientsPerSecond, limit.recipientBurst);
      const decision = await deps.limiter.consume(rule, clientId, count);
      if (!decision.allowed) {
        refuse(
          'recipients',
          `client ${clientId} is over its recipient rate limit (${describe(rule, 'recipients')}); this request has ${count}`,
          decision.retryAfterMs,
        );
      }
    },
  };
}

function limitOf(settings: RateLimitSettings, clientId: string): ClientRateLimit {
  const own =
    settings.clients && Object.hasOwn(settings.clients, clientId) ? settings.clients[clientId] : undefined;
  return own ?? settings.default;
}

function perSecond(name: string, points: number, burst: number): RateRule {
  return {
    name,
    points,
    windowSeconds: 1,
    ...(burst > 0 && { burst: { points: burst, windowSeconds: BURST_WINDOW_SECONDS } }),
  };
}

function describe(rule: RateRule, unit: string): string {
  const burst = rule.burst ? ` plus ${rule.burst.points} more per ${rule.burst.windowSeconds} s` : '';
  return `${rule.points} ${unit}/s${burst}`;
}
