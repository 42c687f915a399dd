import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenCheck } from './token-check.ts';

test('accepts each configured token and nothing else', () => {
  const isAllowed = createTokenCheck(['wall-token-0123456789', 'api-token-0123456789']);
  assert.equal(isAllowed('wall-token-0123456789'), true);
  assert.equal(isAllowed('api-token-0123456789'), true);
  for (const wrong of ['', 'wall-token-012345678', 'wall-token-01234567890', 'WALL-TOKEN-0123456789', ' wall-token-0123456789']) {
    assert.equal(isAllowed(wrong), false, JSON.stringify(wrong));
  }
});

test('unset or empty tokens never match, not even the empty string', () => {
  const isAllowed = createTokenCheck([undefined, '', 'only-this-token-123']);
  assert.equal(isAllowed(''), false);
  assert.equal(isAllowed('undefined'), false);
  assert.equal(isAllowed('only-this-token-123'), true);
  assert.equal(createTokenCheck([])('anything'), false);
});
