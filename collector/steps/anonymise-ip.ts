import { isIPv4, isIPv6 } from 'node:net';

/**
 * Drops the host part of a client address before it is stored anywhere:
 * IPv4 keeps its /24, IPv6 its /48 (the prefixes analytics tools such as
 * Google Analytics and Matomo keep). IPv4-mapped IPv6 is treated as IPv4.
 * Anything unparseable becomes ''.
 */
export function anonymiseIp(address: string | undefined): string {
  if (!address) return '';
  const mapped = unmapIpv4(address);
  if (isIPv4(mapped)) {
    const parts = mapped.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0`;
  }
  if (isIPv6(address)) {
    const groups = expandIPv6(address);
    // The WHATWG URL parser prints IPv6 in its canonical shortest form.
    return new URL(`http://[${[...groups.slice(0, 3), 0, 0, 0, 0, 0].join(':')}]/`).hostname.slice(1, -1);
  }
  return '';
}

/** '::ffff:10.1.2.3' → '10.1.2.3'; any other address is returned as it is. */
export const unmapIpv4 = (address: string): string => MAPPED_IPV4.exec(address)?.[1] ?? address;

/** ::ffff:a.b.c.d in any spelling (case, leading zeros, uncompressed). */
const MAPPED_IPV4 = /^(?:(?:0{1,4}:){5}|::(?:0{1,4}:)?)ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** '2001:db8::1' → ['2001','db8','0','0','0','0','0','1'] (zone id dropped). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}
