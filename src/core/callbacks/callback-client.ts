import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { addressRefusal, isOwnPort, parseCallbackUrl, urlRefusal } from './callback-address-policy.ts';
import type { ResolvedCallbackSettings } from './callback-settings.ts';
import type { SignedHeaders } from './webhook-signing.ts';

/** How a POST ended: a 2xx, or why not (an HTTP status, or a network or policy error's name). */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error?: string };

export interface CallbackClientOptions {
  readonly settings: () => ResolvedCallbackSettings;
  /** herald's own listening ports: never called back on a local address. */
  readonly ownPorts: () => readonly number[];
  /** Tests only, set in code: the CA to trust besides the system's (a test receiver's own). */
  readonly ca?: string;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * POSTs a signed batch to a receiver. The host's addresses are checked after resolution, inside
 * the connection's own lookup, so the socket goes to the address that was checked (no second
 * resolution to rebind); an IP literal, which skips lookup, is checked before the request.
 * Redirects are not followed (undici's request does not): a 3xx is a failure like any non-2xx.
 * One time limit covers connection, headers and body.
 */
export class CallbackClient {
  readonly #options: CallbackClientOptions;
  readonly #agent: Agent;

  constructor(options: CallbackClientOptions) {
    this.#options = options;
    this.#agent = new Agent({
      connections: 16,
      connect: {
        lookup: (hostname: string, lookupOptions: { all?: boolean }, callback: LookupCallback) =>
          this.#lookup(hostname, lookupOptions, callback),
        ...(options.ca !== undefined && { ca: options.ca }),
      },
    });
  }

  async post(url: string, body: string, headers: SignedHeaders, signal?: AbortSignal): Promise<PostOutcome> {
    const settings = this.#options.settings();
    const target = parseCallbackUrl(url);
    if (typeof target === 'string') return { ok: false, error: 'HERALD_CALLBACK_URL_INVALID' };
    if (urlRefusal(target, settings)) return { ok: false, error: 'HERALD_CALLBACK_URL_NOT_ALLOWED' };
    if (isIP(target.host) && this.#refused(target.host)) {
      return { ok: false, error: 'HERALD_CALLBACK_ADDRESS_REFUSED' };
    }
    if (await this.#ownPort(target.host, target.port))
      return { ok: false, error: 'HERALD_CALLBACK_OWN_PORT' };
    const limit = AbortSignal.timeout(settings.timeoutMs);
    try {
      const answer = await request(target.url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'herald-callbacks/1', ...headers },
        body,
        signal: signal ? AbortSignal.any([signal, limit]) : limit,
      });
      await answer.body.dump().catch(() => {});
      return answer.statusCode >= 200 && answer.statusCode < 300
        ? { ok: true, status: answer.statusCode }
        : { ok: false, status: answer.statusCode };
    } catch (error) {
      if (limit.aborted) return { ok: false, error: 'TIMEOUT' };
      return { ok: false, error: errorName(error) };
    }
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => {});
  }

  #lookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0 || addresses.some(({ address }) => this.#refused(address))) {
        const refused: NodeJS.ErrnoException = new Error(
          `callback host ${hostname} resolves to an address callbacks.allow does not cover`,
        );
        refused.code = 'HERALD_CALLBACK_ADDRESS_REFUSED';
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }

  #refused(address: string): boolean {
    return addressRefusal(address, this.#options.settings()) !== undefined;
  }

  /**
   * herald's own ports on a local address (the connection's lookup does not hear the port, so a
   * URL on one of herald's ports is resolved here once more; rare, and refused either way).
   */
  async #ownPort(host: string, port: number): Promise<boolean> {
    if (!this.#options.ownPorts().includes(port)) return false;
    const addresses = isIP(host) ? [{ address: host }] : await lookupAll(host).catch(() => []);
    return addresses.some(({ address }) => isOwnPort(address, port, this.#options.ownPorts()));
  }
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

function errorName(error: unknown): string {
  let current: unknown = error;
  // undici wraps the connect error; the guard's code sits on the cause.
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'HERALD_CALLBACK_ADDRESS_REFUSED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
}
