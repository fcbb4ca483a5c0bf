import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { StoredWebhook, WebhookError, WebhookState, WebhookStore } from '../../ports/webhook-store.ts';
import { HeraldError } from '../domain/errors.ts';
import { addressRefusal, isOwnPort, parseCallbackUrl, urlRefusal } from './callback-address-policy.ts';
import type { ResolvedCallbackSettings } from './callback-settings.ts';
import type { SecretBox } from './secret-box.ts';
import { generateWebhookSecret } from './webhook-signing.ts';

/** Default overlap of a rotation: how long the previous secret still signs. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3_600;

export interface WebhookView {
  readonly url: string;
  readonly state: WebhookState;
  readonly registeredAt: number;
  readonly updatedAt: number;
  readonly failingSince?: number;
  readonly pausedAt?: number;
  readonly lastError?: WebhookError;
  /** During a rotation: until when the previous secret still signs (epoch ms). */
  readonly previousSecretUntil?: number;
}

export interface RegisterOptions {
  /** Make a new secret; the previous one keeps signing beside it for `overlapSeconds`. */
  readonly rotateSecret?: boolean;
  readonly overlapSeconds?: number;
}

export interface WebhookRegistryDeps {
  readonly store: Pick<WebhookStore, 'get' | 'put' | 'remove' | 'resume'>;
  readonly box: SecretBox;
  readonly settings: () => ResolvedCallbackSettings;
  readonly ownPorts: () => readonly number[];
  readonly now?: () => number;
  /** Tests only, set in code: the resolver (default the system's). */
  readonly resolve?: (host: string) => Promise<readonly { address: string }[]>;
}

/**
 * What the webhook API does: check a URL against the SSRF rules (callback-address-policy.ts),
 * resolving its host once here so a name that leads to a refused address is refused at once (the
 * callbacks worker checks again at every send), generate and seal secrets, and shape the views.
 * A secret in clear leaves only in the answer that created it.
 */
export class WebhookRegistry {
  readonly #deps: WebhookRegistryDeps;
  readonly #now: () => number;
  readonly #resolve: (host: string) => Promise<readonly { address: string }[]>;

  constructor(deps: WebhookRegistryDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#resolve = deps.resolve ?? ((host) => lookup(host, { all: true, order: 'verbatim' }));
  }

  async register(
    clientId: string,
    url: string,
    options: RegisterOptions = {},
  ): Promise<{ webhook: WebhookView; secret?: string }> {
    await this.checkUrl(url);
    const now = this.#now();
    const existing = await this.#deps.store.get(clientId);
    const fresh = !existing || options.rotateSecret === true ? generateWebhookSecret() : undefined;
    const stored = await this.#deps.store.put(
      {
        clientId,
        url,
        secret: fresh ? this.#deps.box.seal(fresh) : existing!.secret,
        ...previousSecret(existing, fresh !== undefined, options.overlapSeconds, now),
      },
      now,
    );
    return { webhook: viewOf(stored, now), ...(fresh && { secret: fresh }) };
  }

  async view(clientId: string): Promise<WebhookView | undefined> {
    const stored = await this.#deps.store.get(clientId);
    return stored ? viewOf(stored, this.#now()) : undefined;
  }

  remove(clientId: string): Promise<boolean> {
    return this.#deps.store.remove(clientId);
  }

  async resume(clientId: string): Promise<WebhookView | undefined> {
    if (!(await this.#deps.store.resume(clientId, this.#now()))) return undefined;
    return this.view(clientId);
  }

  /** Throws HERALD_CALLBACK_URL_INVALID or HERALD_CALLBACK_URL_NOT_ALLOWED with what to change. */
  async checkUrl(url: string): Promise<void> {
    const target = parseCallbackUrl(url);
    if (typeof target === 'string') {
      throw new HeraldError('HERALD_CALLBACK_URL_INVALID', `url ${target}`, { field: 'url' });
    }
    const settings = this.#deps.settings();
    const refusal = urlRefusal(target, settings);
    if (refusal) throw notAllowed(`url ${refusal}`);
    const addresses = isIP(target.host)
      ? [{ address: target.host }]
      : await this.#resolve(target.host).catch(() => {
          throw notAllowed(`url host ${target.host} does not resolve; give a host herald can reach`);
        });
    for (const { address } of addresses) {
      if (isOwnPort(address, target.port, this.#deps.ownPorts())) {
        throw notAllowed(
          `url points at herald's own port ${target.port}; callbacks never call herald itself`,
        );
      }
      const why = addressRefusal(address, settings);
      if (why) {
        throw notAllowed(
          `url host ${target.host} resolves to ${why === 'is not an IP address' ? 'no usable address' : why}`,
        );
      }
    }
  }
}

/**
 * The previous secret after a PUT: a rotation keeps the one it replaces for the overlap (default
 * 24 h); a PUT without rotation keeps a running overlap, or with `overlapSeconds` sets its end anew
 * from now (0 ends it: from then on only the new secret signs).
 */
function previousSecret(
  existing: StoredWebhook | undefined,
  rotated: boolean,
  overlapSeconds: number | undefined,
  now: number,
): { previousSecret?: string; previousUntil?: number } {
  if (!existing) return {};
  if (rotated) {
    const overlapMs = (overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS) * 1_000;
    return overlapMs > 0 ? { previousSecret: existing.secret, previousUntil: now + overlapMs } : {};
  }
  if (existing.previousSecret === undefined || existing.previousUntil === undefined) return {};
  const until = overlapSeconds === undefined ? existing.previousUntil : now + overlapSeconds * 1_000;
  return until > now ? { previousSecret: existing.previousSecret, previousUntil: until } : {};
}

function notAllowed(message: string): HeraldError {
  return new HeraldError('HERALD_CALLBACK_URL_NOT_ALLOWED', message, { field: 'url' });
}

function viewOf(stored: StoredWebhook, now: number): WebhookView {
  return {
    url: stored.url,
    state: stored.state,
    registeredAt: stored.registeredAt,
    updatedAt: stored.updatedAt,
    ...(stored.failingSince !== undefined && { failingSince: stored.failingSince }),
    ...(stored.pausedAt !== undefined && { pausedAt: stored.pausedAt }),
    ...(stored.lastError !== undefined && { lastError: stored.lastError }),
    ...(stored.previousUntil !== undefined &&
      stored.previousUntil > now && { previousSecretUntil: stored.previousUntil }),
  };
}
