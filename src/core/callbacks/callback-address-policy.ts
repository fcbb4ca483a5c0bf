import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ResolvedCallbackSettings } from './callback-settings.ts';

/**
 * The SSRF guard of status callbacks, one set of rules for registration and for every send:
 * - the URL is https (http only for a host listed in `allowHttp`), without user or password;
 * - its host is on the allowlist: a listed name (`*.example.com` covers subdomains) or, for an IP
 *   literal, a listed address or network;
 * - every address the host resolves to is public unicast, or inside a listed network: loopback,
 *   private, link-local, CGNAT and the cloud metadata addresses need a network listed for them;
 * - herald's own ports on a local address are refused whatever the list says (a callback must never
 *   call herald's own API or metrics with herald's credentials of the network).
 * Refusals say what to add to the allowlist, never what a name resolved to (that would tell a prober
 * what lies behind it).
 */

/** Cloud metadata services, refused unless a listed network holds them (most are link-local too). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2']);

export interface CallbackTarget {
  readonly url: URL;
  /** The host without IPv6 brackets. */
  readonly host: string;
  readonly port: number;
}

export function parseCallbackUrl(raw: string): CallbackTarget | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be https';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not carry a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { url, host, port };
}

/** Why the URL may not be registered or called (before resolution), or undefined. */
export function urlRefusal(target: CallbackTarget, settings: ResolvedCallbackSettings): string | undefined {
  const { url, host } = target;
  if (url.protocol === 'http:' && !settings.allowHttp.map((h) => h.toLowerCase()).includes(host)) {
    return `must be https; plain http is taken only for hosts listed in callbacks.allowHttp of the remote config (add "${host}" there, for local receivers only)`;
  }
  if (isIP(host)) {
    if (!inListedNetwork(host, settings.allow)) {
      return `points at ${host}, which callbacks.allow of the remote config does not list; add "${host}" (or a network holding it) there`;
    }
    return undefined;
  }
  if (!settings.allow.some((entry) => hostMatches(host, entry))) {
    return `points at host ${host}, which callbacks.allow of the remote config does not list; add "${host}" there`;
  }
  return undefined;
}

/** Why herald may not connect to `address` for a callback, or undefined. */
export function addressRefusal(address: string, settings: ResolvedCallbackSettings): string | undefined {
  if (!ipaddr.isValid(address)) return 'is not an IP address';
  if (inListedNetwork(address, settings.allow)) return undefined;
  const parsed = ipaddr.process(address);
  if (METADATA_ADDRESSES.has(parsed.toString())) {
    return 'a cloud metadata address; list it in callbacks.allow only if you really mean to';
  }
  const range = parsed.range();
  if (range !== 'unicast') {
    return `a ${range} address; list its network in callbacks.allow of the remote config to allow it`;
  }
  return undefined;
}

/** Whether `port` on `address` is herald itself (its API or metrics port on a local address). */
export function isOwnPort(address: string, port: number, ownPorts: readonly number[]): boolean {
  if (!ownPorts.includes(port) || !ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'loopback' || range === 'unspecified' || range === 'private' || range === 'uniqueLocal';
}

function hostMatches(host: string, entry: string): boolean {
  const pattern = entry.toLowerCase();
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

function inListedNetwork(address: string, allow: readonly string[]): boolean {
  const parsed = ipaddr.process(address);
  return allow.some((entry) => {
    const network = parseNetwork(entry);
    if (!network) return false;
    const [base, bits] = network;
    return base.kind() === parsed.kind() && parsed.match(base, bits);
  });
}

/** An allowlist entry as a network: `10.0.0.0/8`, or a lone address as its /32 or /128. */
export function parseNetwork(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    if (entry.includes('/')) {
      const [base, bits] = ipaddr.parseCIDR(entry);
      return [base.kind() === 'ipv6' ? ipaddr.process(base.toString()) : base, bits] as [
        ipaddr.IPv4 | ipaddr.IPv6,
        number,
      ];
    }
    if (!ipaddr.isValid(entry)) return undefined;
    const address = ipaddr.process(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** Whether an allowlist entry is well formed: a network, an address, or a host name pattern. */
export function isAllowEntry(entry: string): boolean {
  return (
    parseNetwork(entry) !== undefined ||
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
  );
}
