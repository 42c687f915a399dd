import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { ConfigError, readEnv } from './env.ts';

const Schema = Type.Object({
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'listen port' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  RATIO: Type.Number({ default: 0.5 }),
  DEBUG: Type.Boolean({ default: false }),
  TOKEN: Type.Optional(Type.String({ minLength: 8 })),
});

test('defaults apply to unset and empty keys; other variables are ignored', () => {
  const config = readEnv(Schema, { HOST: '', UNRELATED: 'x' });
  assert.deepEqual(config, { PORT: 8080, HOST: '127.0.0.1', RATIO: 0.5, DEBUG: false });
  assert.equal(Object.isFrozen(config), true);
});

test('strings are converted to numbers and booleans', () => {
  assert.deepEqual(readEnv(Schema, { PORT: '9000', RATIO: '1.25', DEBUG: 'true', HOST: '0.0.0.0', TOKEN: 'abcdefgh' }), {
    PORT: 9000,
    HOST: '0.0.0.0',
    RATIO: 1.25,
    DEBUG: true,
    TOKEN: 'abcdefgh',
  });
});

test('every bad key is reported at once in one ConfigError, with its description', () => {
  assert.throws(
    () => readEnv(Schema, { PORT: '99999', RATIO: 'half', DEBUG: 'maybe', TOKEN: 'short' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.equal(err.retriable, false);
      assert.equal(
        err.message,
        [
          'Invalid configuration:',
          '  PORT: Expected integer to be less or equal to 65535 (listen port)',
          '  RATIO: Expected number',
          '  DEBUG: Expected boolean',
          '  TOKEN: Expected string length greater or equal to 8',
        ].join('\n'),
      );
      return true;
    },
  );
});

test('a port with letters is refused', () => {
  assert.throws(() => readEnv(Schema, { PORT: '80abc' }), /PORT: Expected integer \(listen port\)/);
});

// TypeBox's Value.Convert turns an integer string with parseInt, so these pass
// validation as a different number instead of being reported.
const truncated: Array<[string, string]> = [
  ['80.5', 'a fraction'],
  ['1e3', 'exponent notation (parseInt gives 1)'],
  ['true', 'a boolean (converted to 1)'],
];
for (const [value, what] of truncated) {
  test(
    `PORT=${value} (${what}) is refused`,
    () => assert.throws(() => readEnv(Schema, { PORT: value }), ConfigError),
  );
}
