// Reads a slice of the environment against a TypeBox schema: defaults applied,
// strings converted to numbers/booleans, every bad key reported at once. Only
// the config.ts files call this; no other file reads process.env.
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retriable = false;
}

export function readEnv<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Readonly<Static<T>> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  // Value.Convert parses integers with parseInt ("1e3" → 1, "80.5" → 80):
  // integer keys must be plain integers or they are reported, not truncated.
  const notIntegers = Object.entries(picked)
    .filter(([key, value]) => (schema.properties[key] as { type?: string }).type === 'integer' && !/^-?\d+$/.test(String(value)))
    .map(([key]) => ({ path: `/${key}`, message: 'Expected integer' }));
  const withDefaults = Value.Default(schema, picked);
  const converted = Value.Convert(schema, withDefaults);
  const invalid = new Set(notIntegers.map((e) => e.path));
  const errors = [...notIntegers, ...[...Value.Errors(schema, converted)].filter((e) => !invalid.has(e.path))];
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const key = e.path.replace(/^\//, '');
      const description = (schema.properties[key] as { description?: string } | undefined)?.description;
      return `  ${key || '(root)'}: ${e.message}${description ? ` (${description})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(converted as Static<T>);
}
