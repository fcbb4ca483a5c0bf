import { X509Certificate } from 'node:crypto';

/** Fetches the text at an https URL (the default: fetch, no redirects, a time limit). */
export type CertificateFetch = (url: URL, signal: AbortSignal) => Promise<string>;

export interface SigningCertificatesOptions {
  /**
   * The hosts a SigningCertURL may name, exact (SNS: `sns.<region>.amazonaws.com`; the simulator's
   * host in tests and drills). Nothing else is ever fetched.
   */
  readonly allowedHosts: readonly string[];
  readonly fetch?: CertificateFetch;
  readonly fetchTimeoutMs?: number;
  /** Most certificates kept (SNS rotates rarely: a handful per region). */
  readonly maxEntries?: number;
  /**
   * Certificates known beforehand, by their exact SigningCertURL: answered without a fetch and
   * whatever the host (the simulators' SNS, whose host never resolves). Empty in production.
   */
  readonly pinned?: ReadonlyMap<string, string>;
}

export interface SigningCertificates {
  /** The PEM at `url`, fetched once and kept; rejects a URL that is not https on an allowed host. */
  get(url: string): Promise<string>;
}

/** Why a SigningCertURL was not fetched or not usable: the notification is refused. */
export class SigningCertificateError extends Error {
  override readonly name = 'SigningCertificateError';
}

/**
 * The certificates SNS signs with, by SigningCertURL: the URL must be https, on one of the allowed
 * hosts, and end in `.pem` (SNS' form `https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem`),
 * so a forged message cannot make herald fetch an arbitrary URL or trust a key of the forger's.
 * Each certificate is fetched once and cached (a failed fetch is not kept), and must parse as X.509
 * and be within its validity dates. A pinned certificate is checked the same way, without a fetch;
 * the route still verifies every signature with it.
 */
export function createSigningCertificates(options: SigningCertificatesOptions): SigningCertificates {
  const allowed = new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  const fetchText = options.fetch ?? fetchWithoutRedirects;
  const timeoutMs = options.fetchTimeoutMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 32;
  const cache = new Map<string, Promise<string>>();
  const pinned = new Map([...(options.pinned ?? [])].map(([url, pem]) => [new URL(url).href, pem]));

  async function load(url: URL): Promise<string> {
    const known = pinned.get(url.href);
    const pem = known ?? (await fetchText(url, AbortSignal.timeout(timeoutMs)));
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new SigningCertificateError(`the certificate at ${url.host} is not a PEM X.509 certificate`);
    }
    const now = Date.now();
    if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
      throw new SigningCertificateError(`the certificate at ${url.host} is outside its validity dates`);
    }
    return pem;
  }

  return {
    get(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return Promise.reject(new SigningCertificateError('SigningCertURL is not a URL'));
      }
      if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') {
        return Promise.reject(
          new SigningCertificateError('SigningCertURL must be https on the default port'),
        );
      }
      if (
        !pinned.has(url.href) &&
        (!allowed.has(url.hostname.toLowerCase()) || !url.pathname.endsWith('.pem'))
      ) {
        return Promise.reject(
          new SigningCertificateError('SigningCertURL is not a .pem on a host allowed for SNS certificates'),
        );
      }
      const key = url.href;
      let entry = cache.get(key);
      if (entry === undefined) {
        entry = load(url);
        cache.set(key, entry);
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
        entry.catch(() => {
          if (cache.get(key) === entry) cache.delete(key);
        });
      }
      return entry;
    },
  };
}

async function fetchWithoutRedirects(url: URL, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { redirect: 'error', signal });
  if (!response.ok)
    throw new SigningCertificateError(`fetching the certificate at ${url.host} answered ${response.status}`);
  return response.text();
}
