import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymiseIp } from './anonymise-ip.ts';

// The /48 prefix is always written as three groups then '::', so one prefix has
// exactly one text form whatever form the client address came in.
const cases: Array<[string | undefined, string]> = [
  ['203.0.113.77', '203.0.113.0'],
  ['10.0.0.1', '10.0.0.0'],
  ['::ffff:10.20.30.40', '10.20.30.0'],
  ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::'],
  ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::'],
  ['2001:DB8:ABCD:12::', '2001:db8:abcd::'],
  ['2001:db8::1', '2001:db8::'],
  ['fe80::1%eth0', 'fe80::'],
  ['::1', '::'],
  ['::', '::'],
  ['garbage', ''],
  ['999.1.1.1', ''],
  ['1.2.3', ''],
  ['', ''],
  [undefined, ''],
];

for (const [address, expected] of cases) {
  test(`${JSON.stringify(address)} → ${JSON.stringify(expected)}`, () => assert.equal(anonymiseIp(address), expected));
}

// Documented as "IPv4-mapped IPv6 is treated as IPv4", but only the exact
// lower-case '::ffff:' prefix is recognised.
const mappedCases: Array<[string, string]> = [
  ['::FFFF:10.20.30.40', '10.20.30.0'],
  ['0:0:0:0:0:ffff:10.20.30.40', '10.20.30.0'],
];
for (const [address, expected] of mappedCases) {
  test(
    `IPv4-mapped ${address} → ${expected}`,
    () => assert.equal(anonymiseIp(address), expected),
  );
}
