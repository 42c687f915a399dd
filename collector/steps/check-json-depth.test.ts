import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsJsonDepth } from './check-json-depth.ts';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

const cases: Array<[string, string, number, boolean]> = [
  ['a flat object', '{"a":1}', 1, false],
  ['exactly the limit', nested(32), 32, false],
  ['one level over', nested(33), 32, true],
  ['objects and arrays both count', '{"a":[{"b":[1]}]}', 3, true],
  ['objects and arrays at the limit', '{"a":[{"b":[1]}]}', 4, false],
  ['brackets inside strings do not count', `{"a":"${'['.repeat(100)}"}`, 2, false],
  ['an escaped quote does not end the string', `{"a":"\\"${'{'.repeat(100)}"}`, 2, false],
  ['an escaped backslash before the closing quote', `{"a":"\\\\","b":${nested(5)}}`, 3, true],
  ['siblings do not add up', `[${Array.from({ length: 50 }, () => '[1]').join(',')}]`, 2, false],
  ['unclosed brackets still count', '[[[[', 3, true],
  ['an empty text', '', 1, false],
  ['10,000 levels', nested(10_000), 32, true],
];

for (const [name, text, max, expected] of cases) {
  test(`${name} → ${expected ? 'too deep' : 'ok'}`, () => assert.equal(exceedsJsonDepth(text, max), expected));
}

test('a 1 MiB body of [ is refused without recursion', () => {
  assert.equal(exceedsJsonDepth('['.repeat(1024 * 1024), 32), true);
});
