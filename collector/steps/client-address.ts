import { BlockList, isIP } from 'node:net';
import { unmapIpv4 } from './anonymise-ip.ts';

export type AddressMatcher = (address: string) => boolean;

/** A matcher for a list of addresses and CIDR ranges ('10.0.0.0/8', '::1'); IPv4-mapped IPv6 counts as IPv4. */
export function createAddressMatcher(entries: readonly string[]): AddressMatcher {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [network = '', bits] = entry.split('/');
    const family = isIP(network) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(network, family);
    else list.addSubnet(network, Number(bits), family);
  }
  return (address) => {
    const ip = unmapIpv4(address);
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client's address as fastify's `trustProxy` with a list computes it
 * (proxy-addr): walk from the socket peer back through X-Forwarded-For and
 * stop at the first hop that is not a trusted proxy. With no trusted proxies
 * the header is ignored, so a client cannot pick its own address (and with it
 * its geo and its rate-limit bucket). The result is the full address: it is
 * used for geo and rate limiting, then only its anonymised form is kept.
 */
export function resolveClientAddress(socketAddress: string, forwardedFor: string | string[] | undefined, isTrustedProxy: AddressMatcher): string {
  if (!isTrustedProxy(socketAddress) || forwardedFor === undefined) return socketAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop.length > 0);
  let address = socketAddress;
  for (let i = hops.length - 1; i >= 0; i--) {
    address = hops[i]!;
    if (!isTrustedProxy(address)) return address;
  }
  return address;
}
