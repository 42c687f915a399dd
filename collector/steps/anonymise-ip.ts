import { isIPv4, isIPv6 } from 'node:net';

/**
 * Drops the host part of a client address before it is stored anywhere:
 * IPv4 keeps its /24, IPv6 its /48 (the prefixes analytics tools such as
 * Google Analytics and Matomo keep). IPv4-mapped IPv6 is treated as IPv4.
 * Anything unparseable becomes ''.
 */
export function anonymiseIp(address: string | undefined): string {
  if (!address) return '';
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(mapped)) {
    const parts = mapped.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0`;
  }
  if (isIPv6(address)) {
    const groups = expandIPv6(address);
    return `${groups.slice(0, 3).join(':')}::`;
  }
  return '';
}

/** '2001:db8::1' → ['2001','db8','0','0','0','0','0','1'] (zone id dropped). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
}
