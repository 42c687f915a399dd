import { BlockList, isIP } from 'node:net';
import { unmapIpv4 } from './anonymise-ip.ts';

export interface Geo {
  geo_country: string;
  geo_province: string;
  geo_city: string;
}

/** ip2region's answer (Chinese names: 中国 / 广东省 / 深圳市; '' where unknown). */
interface Region {
  country: string;
  province: string;
  city: string;
}
export type RegionSearch = (address: string) => Region | null;

export const NO_GEO: Geo = Object.freeze({ geo_country: '', geo_province: '', geo_city: '' });
const MAX_NAME = 64; // the contract's maxLength for the geo fields
// ip2region labels private ranges with a pseudo-city instead of leaving them empty.
const PLACEHOLDERS = new Set(['0', '内网IP']);

/**
 * Where an address is, from the full address before it is anonymised.
 * ip2region's data is detailed for China (province and city) but for other
 * countries its province/city columns are sparse and mixed (a capital in the
 * province column, …), so outside China only the country is kept.
 * Private, loopback, link-local, documentation and other non-public
 * addresses have no location and give ''.
 */
export function lookupGeo(address: string, search: RegionSearch): Geo {
  const ip = unmapIpv4(address.split('%')[0] ?? '');
  const version = isIP(ip);
  if (version === 0 || NON_PUBLIC.check(ip, version === 4 ? 'ipv4' : 'ipv6')) return NO_GEO;
  let region: Region | null;
  try {
    region = search(ip);
  } catch {
    return NO_GEO; // a lookup bug must not cost the event; the address just stays unlocated
  }
  const country = clean(region?.country);
  if (!region || country === '') return NO_GEO;
  if (country !== '中国') return { geo_country: country, geo_province: '', geo_city: '' };
  return { geo_country: country, geo_province: clean(region.province), geo_city: clean(region.city) };
}

const clean = (value: string | undefined): string => (value && !PLACEHOLDERS.has(value) ? value.slice(0, MAX_NAME) : '');

// RFC 6890 special-purpose ranges that never locate a visitor.
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3], // multicast, reserved and broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127], // :: and ::1
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}
