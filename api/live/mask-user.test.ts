import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskUserId } from './mask-user.ts';

test('masks ids so that at most three characters remain', () => {
  const cases: Array<[string, string]> = [
    ['user-42', 'u***42'],
    ['13800138000', '1***00'],
    ['abcde', 'a***de'],
    ['abcd', 'a***'],
    ['ab', 'a***'],
    ['a', '***'],
    ['', ''],
    ['  ', ''],
    ['张三丰先生', '张***先生'],
    ['👩‍💻user', '👩***er'],
    ['<img src=x onerror=alert(1)>', '<***)>'],
  ];
  for (const [id, masked] of cases) assert.equal(maskUserId(id), masked, id);
});

test('a long id never shows more than its first and last two characters', () => {
  const id = 'customer-0123456789-secret';
  const masked = maskUserId(id);
  assert.equal(masked, 'c***et');
  assert.doesNotMatch(masked, /0123456789/);
});
