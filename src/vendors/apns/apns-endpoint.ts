/** Apple's hosts for the two APNs environments (port 443; 2197 is also served). */
export const APNS_HOSTS = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
} as const;

export type ApnsEnvironment = keyof typeof APNS_HOSTS;

export interface ApnsEndpoint {
  /** scheme://host[:port], what an HTTP/2 session connects to. */
  readonly origin: string;
  /** Put before `/3/device/...`: '' for Apple, e.g. '/apns' for a simulator's vendor route. */
  readonly pathPrefix: string;
}

/**
 * Where a vendor's requests go: Apple's host for its environment, or `baseUrl` when given (a
 * simulator, a proxy), whose path, if any, becomes a prefix of every request path.
 */
export function apnsEndpoint(environment: ApnsEnvironment, baseUrl?: string): ApnsEndpoint {
  const url = new URL(baseUrl ?? APNS_HOSTS[environment]);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`APNs baseUrl must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError('APNs baseUrl must not carry a query, fragment or credentials');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}
