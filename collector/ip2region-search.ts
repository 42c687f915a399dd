// ip2region (MIT) with the databases it ships: ipv4 (data/ip2region.db, the
// v1 "db" format of that package, not the newer xdb) and ipv6 (ipv6wry.db).
// Both are read into memory (about 11 MB) when the search is created, never
// on import.
import IP2RegionModule from 'ip2region';
import type { RegionSearch } from './steps/lookup-geo.ts';

// The package is CommonJS with `exports.default`: imported from ESM, the class sits one level down.
const IP2Region = IP2RegionModule.default;

let shared: RegionSearch | undefined;

/** One in-memory database per process, loaded on first use. */
export function createIp2RegionSearch(): RegionSearch {
  if (!shared) {
    const db = new IP2Region();
    shared = (address) => db.search(address);
  }
  return shared;
}
