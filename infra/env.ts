// Reads a slice of the environment against a TypeBox schema: defaults applied,
// strings converted to numbers/booleans, every bad key reported at once. Only
// the config.ts files call this; no other file reads process.env.
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retriable = false;
  /** One line per bad key: `  KEY: what is wrong (what it is)`. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.problems = problems;
  }
}

/** A problem with one key, for a refine() check beyond the schema. */
export const problem = (key: string, message: string): string => `  ${key}: ${message}`;

/**
 * `refine` checks what the schema cannot say (list items, time zones) on the
 * converted values; its problems are reported together with the schema's.
 */
export function readEnv<T extends TObject>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
  refine?: (values: Static<T>) => string[],
): Readonly<Static<T>> {
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
  const converted = Value.Convert(schema, withDefaults) as Static<T>;
  const invalid = new Set(notIntegers.map((e) => e.path));
  const errors = [...notIntegers, ...[...Value.Errors(schema, converted)].filter((e) => !invalid.has(e.path))];
  const problems = errors.map((e) => {
    const key = e.path.replace(/^\//, '');
    const description = (schema.properties[key] as { description?: string } | undefined)?.description;
    return problem(key || '(root)', `${e.message}${description ? ` (${description})` : ''}`);
  });
  if (refine) problems.push(...refine(converted));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(converted);
}

/**
 * Reads several config groups (engines, collector, processor, API, …) and
 * reports the bad keys of all of them in one ConfigError, so one run names
 * every mistake.
 */
export function readConfigs<R extends Record<string, () => unknown>>(readers: R): { [K in keyof R]: ReturnType<R[K]> } {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, read] of Object.entries(readers)) {
    try {
      out[name] = read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as { [K in keyof R]: ReturnType<R[K]> };
}
