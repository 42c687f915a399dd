import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHash, parseHash } from './routes.ts';

test('a hash names the page and carries its parameters', () => {
  const loc = parseHash('#/funnel?range=7d&device=mobile');
  assert.equal(loc.route, 'funnel');
  assert.equal(loc.params.get('range'), '7d');
  assert.equal(loc.params.get('device'), 'mobile');
  assert.equal(parseHash('#/sql/').route, 'sql');
  assert.equal(parseHash('#rules').route, 'rules');
});

test('empty or unknown hashes open the overview', () => {
  for (const hash of ['', '#', '#/', '#/nope', '#/__proto__', '#/constructor?x=1']) assert.equal(parseHash(hash).route, 'overview', hash);
});

test('formatHash round-trips', () => {
  const params = new URLSearchParams({ province: '广东省', range: '24h' });
  const hash = formatHash('segments', params);
  assert.equal(hash, '#/segments?province=%E5%B9%BF%E4%B8%9C%E7%9C%81&range=24h');
  const back = parseHash(hash);
  assert.equal(back.route, 'segments');
  assert.equal(back.params.get('province'), '广东省');
  assert.equal(formatHash('overview'), '#/overview');
});
