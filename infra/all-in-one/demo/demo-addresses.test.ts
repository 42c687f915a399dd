import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIp2RegionSearch } from '../../../collector/ip2region-search.ts';
import { DEMO_ADDRESS_PROVINCES, pickDemoAddress } from './demo-addresses.ts';

test('every demo address resolves to its province in the collector’s ip2region database', () => {
  const search = createIp2RegionSearch();
  for (const [address, province] of DEMO_ADDRESS_PROVINCES) {
    assert.equal(search(address)?.province, province, address);
  }
});

test('addresses are drawn by weight: Guangdong more often than Tibet', () => {
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const counts = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const a = pickDemoAddress(random);
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  assert.equal(counts.size, DEMO_ADDRESS_PROVINCES.size);
  assert.ok((counts.get('101.130.154.191') ?? 0) > 5 * (counts.get('111.11.231.228') ?? 0));
});
