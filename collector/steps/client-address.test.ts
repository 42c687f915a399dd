import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAddressMatcher, resolveClientAddress } from './client-address.ts';

describe('createAddressMatcher', () => {
  const matches = createAddressMatcher(['10.0.0.0/8', '192.0.2.7', '::1', '2001:db8::/32']);
  const cases: Array<[string, boolean]> = [
    ['10.20.30.40', true],
    ['11.0.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['::ffff:10.1.1.1', true],
    ['::1', true],
    ['2001:db8:1::5', true],
    ['2001:db9::5', false],
    ['garbage', false],
    ['', false],
  ];
  for (const [address, expected] of cases) test(`${address || "''"} → ${expected}`, () => assert.equal(matches(address), expected));

  test('an empty list matches nothing', () => assert.equal(createAddressMatcher([])('127.0.0.1'), false));
});

describe('resolveClientAddress', () => {
  const proxies = createAddressMatcher(['10.0.0.0/8']);
  const none = createAddressMatcher([]);
  const cases: Array<[string, string, string | string[] | undefined, typeof none, string]> = [
    ['no proxies trusted: the header is ignored', '203.0.113.9', '198.51.100.1', none, '203.0.113.9'],
    ['an untrusted peer cannot forge its address', '203.0.113.9', '198.51.100.1', proxies, '203.0.113.9'],
    ['a trusted proxy without the header', '10.0.0.2', undefined, proxies, '10.0.0.2'],
    ['a trusted proxy names the client', '10.0.0.2', '198.51.100.1', proxies, '198.51.100.1'],
    ['a chain of trusted proxies', '10.0.0.2', '198.51.100.1, 10.0.0.9', proxies, '198.51.100.1'],
    ['a client-sent prefix before the first untrusted hop is ignored', '10.0.0.2', '1.1.1.1, 198.51.100.1, 10.0.0.9', proxies, '198.51.100.1'],
    ['every hop trusted: the leftmost', '10.0.0.2', '10.0.0.8, 10.0.0.9', proxies, '10.0.0.8'],
    ['several headers are one list', '10.0.0.2', ['198.51.100.1', '10.0.0.9'], proxies, '198.51.100.1'],
    ['a garbage hop is returned as it is (anonymised to "")', '10.0.0.2', 'unknown', proxies, 'unknown'],
  ];
  for (const [name, socket, header, trusted, expected] of cases) {
    test(name, () => assert.equal(resolveClientAddress(socket, header, trusted), expected));
  }
});
