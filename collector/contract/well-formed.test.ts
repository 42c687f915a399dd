import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wellFormedReviver } from './well-formed.ts';

const parse = (text: string) => JSON.parse(text, wellFormedReviver(text)) as unknown;

test('lone surrogate escapes become U+FFFD, in keys of any depth', () => {
  assert.deepEqual(parse('{"a":"x\\ud800y","b":["\\uDFFF"],"c":{"d":"\\uDbFf"}}'), { a: 'x\uFFFDy', b: ['\uFFFD'], c: { d: '\uFFFD' } });
});

test('escaped surrogate pairs (emoji) and plain text come out unchanged', () => {
  assert.deepEqual(parse('{"e":"\\ud83d\\ude00","f":"😀","g":"\\u00e9"}'), { e: '😀', f: '😀', g: 'é' });
});

test('text without a surrogate escape is parsed without a reviver', () => {
  assert.equal(wellFormedReviver('{"a":"plain","b":"\\u4e2d"}'), undefined);
  assert.notEqual(wellFormedReviver('{"a":"\\ud800"}'), undefined);
});
