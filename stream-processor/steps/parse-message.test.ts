import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from './parse-message.ts';

const cases: Array<[string, Buffer | null, ReturnType<typeof parseMessage>]> = [
  ['a null value (tombstone)', null, { kind: 'fail', reason: 'empty_message', detail: 'message has no value' }],
  ['an empty value', Buffer.alloc(0), { kind: 'fail', reason: 'empty_message', detail: 'message has no value' }],
  ['a JSON object', Buffer.from('{"a":[1,"é"]}'), { kind: 'ok', value: { a: [1, 'é'] } }],
  ['a JSON scalar', Buffer.from('42'), { kind: 'ok', value: 42 }],
];

for (const [name, value, expected] of cases) {
  test(name, () => assert.deepEqual(parseMessage(value), expected));
}

test('bad JSON fails as invalid_json with the parser message', () => {
  const outcome = parseMessage(Buffer.from('{"a":'));
  assert.equal(outcome.kind, 'fail');
  assert.equal(outcome.kind === 'fail' && outcome.reason, 'invalid_json');
  assert.match(outcome.kind === 'fail' ? outcome.detail : '', /JSON/);
});

test('lone surrogates become U+FFFD so ClickHouse accepts the row', () => {
  assert.deepEqual(parseMessage(Buffer.from('{"t":"a\\ud800b","u":"\\udfff"}')), { kind: 'ok', value: { t: 'a\ufffdb', u: '\ufffd' } });
});
