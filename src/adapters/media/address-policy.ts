import ipaddr from 'ipaddr.js';

/**
 * Which addresses an image fetch may connect to: returns why an address is refused, or undefined
 * when it may be used. Injected (in code, never from the environment: a deployment must not be able
 * to switch the guard off) so tests can reach a server on loopback.
 */
export type AddressPolicy = (address: string) => string | undefined;

/**
 * The default: public unicast only. `ipaddr.process` turns an IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1) into the IPv4 address it maps, so the mapped form of a private address is
 * judged as that address. Everything ipaddr.js does not class as `unicast` is refused: loopback,
 * private (RFC 1918), unique local (fc00::/7), link-local (169.254/16 with the cloud metadata
 * address, fe80::/10), carrier-grade NAT (100.64/10), multicast, broadcast, unspecified (0.0.0.0,
 * ::), reserved, and the IPv6 forms that embed an IPv4 address a gateway would reach for us
 * (6to4, Teredo, NAT64 64:ff9b::/96), whose IPv4 part we could not vouch for.
 */
export const publicUnicastOnly: AddressPolicy = (address) => {
  if (!ipaddr.isValid(address)) return 'is not an IP address';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? undefined : `is a ${range} address`;
};
