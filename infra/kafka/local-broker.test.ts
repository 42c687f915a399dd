import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newClusterId } from './local-broker.ts';

test('cluster ids are 22 URL-safe base64 characters and never start with "-"', () => {
  // 1 in 64 random ids would start with '-'; 2,000 draws make a regression all but certain to show.
  for (let i = 0; i < 2000; i++) {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});
