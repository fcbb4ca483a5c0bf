import { lookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Client } from 'undici';
import { HeraldError } from '../../core/domain/errors.ts';
import { kb, MMS_IMAGE_MAX_BYTES } from '../../core/media/image-rules.ts';
import type { ImageFetcher } from '../../ports/image-fetcher.ts';
import type { AddressPolicy } from './address-policy.ts';
import { publicUnicastOnly } from './address-policy.ts';

export interface ResolvedAddress {
  readonly address: string;
}

/** Host name -> every address it resolves to. Default: the system resolver (getaddrinfo), all of them. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeImageFetcherOptions {
  /** Largest answer body taken, bytes; default the MMS image limit (300 KB). */
  readonly maxBytes?: number;
  /** The whole fetch (resolution, connection, headers, body), ms; default 10 s. */
  readonly timeLimitMs?: number;
  /** Tests only, set in code: a resolver that answers what the test needs. */
  readonly resolve?: ResolveHost;
  /** Tests only, set in code: which addresses may be used (default public unicast only). */
  readonly addressPolicy?: AddressPolicy;
  /** Tests only, set in code: the CA to trust instead of the system's (a test server's own). */
  readonly ca?: string;
}

export const DEFAULT_IMAGE_FETCH_TIME_LIMIT_MS = 10_000;

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, order: 'verbatim' });

/**
 * The network half of the SSRF guard for MMS image URLs (the host allow-list is checked before,
 * in core/media/collect-images.ts):
 * - the host is resolved once and EVERY address it resolves to is checked against the policy: a
 *   name with one public and one private address is refused, not raced;
 * - the connection goes to the checked address itself (a custom undici connector), so no second
 *   resolution can hand back another address (DNS rebinding); TLS still verifies the certificate
 *   against the host name (servername), so the checked address must also prove it is that host;
 * - redirects are never followed (undici's Client does not; a 3xx is a failure), since a redirect
 *   would lead to a host nobody checked;
 * - the body is counted while it streams and cut past `maxBytes` (a lying or missing
 *   Content-Length changes nothing), and one time limit covers the whole fetch, so a slow answer
 *   (slowloris) is cut too.
 * Every failure is HERALD_IMAGE_FETCH_FAILED (422), never retried by herald: the client decides.
 */
export class SafeImageFetcher implements ImageFetcher {
  readonly #maxBytes: number;
  readonly #timeLimitMs: number;
  readonly #resolve: ResolveHost;
  readonly #policy: AddressPolicy;
  readonly #ca: string | undefined;

  constructor(options: SafeImageFetcherOptions = {}) {
    this.#maxBytes = options.maxBytes ?? MMS_IMAGE_MAX_BYTES;
    this.#timeLimitMs = options.timeLimitMs ?? DEFAULT_IMAGE_FETCH_TIME_LIMIT_MS;
    this.#resolve = options.resolve ?? systemResolve;
    this.#policy = options.addressPolicy ?? publicUnicastOnly;
    this.#ca = options.ca;
  }

  async fetchImage(url: URL, signal?: AbortSignal): Promise<Uint8Array> {
    if (url.protocol !== 'https:') throw failed('only https URLs are fetched');
    const limit = AbortSignal.timeout(this.#timeLimitMs);
    const abort = signal ? AbortSignal.any([signal, limit]) : limit;
    try {
      const address = await untilAborted(this.#checkedAddress(url.hostname), abort);
      return await this.#get(url, address, abort);
    } catch (error) {
      if (error instanceof HeraldError) throw error;
      if (limit.aborted) throw failed(`no complete answer within ${this.#timeLimitMs} ms`, error);
      throw failed(`the fetch failed (${errorName(error)})`, error);
    }
  }

  /** Resolves the host and checks every address; returns the first, the one connected to. */
  async #checkedAddress(hostname: string): Promise<string> {
    const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    const addresses = isIP(bare) ? [{ address: bare }] : await this.#resolve(bare);
    if (addresses.length === 0) throw failed('the host resolves to no address');
    for (const { address } of addresses) {
      const refusal = this.#policy(address);
      // The address is not echoed: it would tell a prober what lies behind the name.
      if (refusal) throw failed(`the host resolves to an address herald does not fetch from (${refusal})`);
    }
    return addresses[0]!.address;
  }

  async #get(url: URL, address: string, signal: AbortSignal): Promise<Uint8Array> {
    const servername = isIP(url.hostname.replace(/^\[|\]$/g, '')) ? undefined : url.hostname;
    const client = new Client(url.origin, {
      connect: (_options, callback) => {
        const socket = tlsConnect({
          host: address,
          port: Number(url.port || 443),
          ...(servername !== undefined && { servername }),
          ALPNProtocols: ['http/1.1'],
          ...(this.#ca !== undefined && { ca: this.#ca }),
        });
        let settled = false;
        // Aborted while the handshake runs: undici does not own the socket yet, so close it here.
        const onAbort = () => socket.destroy();
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('close', () => signal.removeEventListener('abort', onAbort));
        socket.once('secureConnect', () => {
          settled = true;
          callback(null, socket as Socket);
        });
        socket.once('error', (error) => {
          if (!settled) callback(error, null);
        });
      },
    });
    try {
      const answer = await client.request({
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { accept: 'image/jpeg' },
        signal,
      });
      if (answer.statusCode >= 300 && answer.statusCode < 400) {
        await answer.body.dump().catch(() => {});
        throw failed(`the server answered ${answer.statusCode} (a redirect); redirects are not followed`);
      }
      if (answer.statusCode !== 200) {
        await answer.body.dump().catch(() => {});
        throw failed(`the server answered ${answer.statusCode}, not 200`);
      }
      const declared = Number(answer.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.#maxBytes) {
        answer.body.destroy();
        throw failed(`the image is ${kb(declared)}; at most ${kb(this.#maxBytes)} is fetched`);
      }
      return await this.#readCapped(answer.body);
    } finally {
      await client.destroy().catch(() => {});
    }
  }

  async #readCapped(body: AsyncIterable<Uint8Array> & { destroy(): void }): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.length;
      if (total > this.#maxBytes) {
        body.destroy();
        throw failed(`the image is over ${kb(this.#maxBytes)}; the fetch was cut there`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  }
}

function failed(reason: string, cause?: unknown): HeraldError {
  return new HeraldError('HERALD_IMAGE_FETCH_FAILED', reason, { cause });
}

/** A promise that cannot be aborted itself (getaddrinfo) still stops being waited for. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function errorName(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
}
