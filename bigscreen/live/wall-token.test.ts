import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenFromFragment } from './wall-token.ts';

test('the token comes from the fragment, beside other fragment parameters', () => {
  assert.equal(tokenFromFragment('#token=abc123'), 'abc123');
  assert.equal(tokenFromFragment('#lang=en&token=abc-_123'), 'abc-_123');
  assert.equal(tokenFromFragment('#token=a%2Bb'), 'a+b');
});

test('no token: null', () => {
  for (const hash of ['', '#', '#token=', '#token=%20', '#lang=en']) assert.equal(tokenFromFragment(hash), null, hash);
});
