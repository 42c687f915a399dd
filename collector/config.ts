// The collector's configuration: read once from the environment, checked,
// frozen. docs/collector.md lists every key with its default and meaning.
import { isIP } from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import { problem, readEnv } from '../infra/env.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const CollectorEnvSchema = Type.Object({
  COLLECT_BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, description: 'largest accepted POST /collect body' }),
  COLLECT_MAX_EVENTS: Type.Integer({ default: 1000, minimum: 1, description: 'most events in one POST /collect' }),
  COLLECT_MAX_JSON_DEPTH: Type.Integer({ default: 32, minimum: 8, maximum: 256, description: 'deepest [ / { nesting of a body' }),
  COLLECT_MAX_FUTURE_MS: Type.Integer({ default: 5 * MINUTE_MS, minimum: 0, description: 'how far ts + skew_ms may lie ahead of received_at' }),
  COLLECT_MAX_PAST_MS: Type.Integer({ default: 7 * DAY_MS, minimum: 0, description: 'how far ts + skew_ms may lie behind received_at' }),
  COLLECT_CORS_ORIGINS: Type.String({ default: '*', description: '* or a comma-separated list of origins (https://shop.example)' }),
  COLLECT_RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 0, description: 'POST /collect requests per window per client address; 0 = off' }),
  COLLECT_RATE_LIMIT_WINDOW_MS: Type.Integer({ default: MINUTE_MS, minimum: 1000 }),
  COLLECT_RATE_LIMIT_ALLOWLIST: Type.String({
    default: '127.0.0.0/8,::1',
    description: 'comma-separated addresses or CIDR ranges never rate limited',
  }),
  TRUSTED_PROXIES: Type.String({ default: '', description: 'comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed' }),
  COLLECT_BOT_HEADLESS: Type.Boolean({ default: false, description: 'also flag headless browsers (HeadlessChrome) as bots' }),
  COLLECT_PRODUCE_TIMEOUT_MS: Type.Integer({ default: 2000, minimum: 100, description: 'wait this long for Kafka before spooling' }),
  COLLECT_SPOOL_DIR: Type.Optional(Type.String({ minLength: 1, description: 'default: $DATA_DIR/spool' })),
  COLLECT_SPOOL_MAX_BYTES: Type.Integer({ default: 512 * 1024 * 1024, minimum: 1024 * 1024, description: 'spool size beyond which POST /collect answers 503' }),
});

export interface RateLimitConfig {
  /** requests per window per client address; 0 turns the limit off */
  max: number;
  windowMs: number;
  /** addresses or CIDR ranges never limited */
  allowList: string[];
}

export interface CollectorConfig {
  bodyLimitBytes: number;
  maxEventsPerBatch: number;
  maxJsonDepth: number;
  maxFutureMs: number;
  maxPastMs: number;
  /** '*' or an explicit list of origins */
  corsOrigins: '*' | string[];
  rateLimit: RateLimitConfig;
  /** addresses or CIDR ranges; empty = X-Forwarded-For is ignored */
  trustedProxies: string[];
  botHeadless: boolean;
  produceTimeoutMs: number;
  /** undefined = `${DATA_DIR}/spool` (DATA_DIR belongs to the engines config) */
  spoolDir: string | undefined;
  spoolMaxBytes: number;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** An address or CIDR range as node's BlockList takes it. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (version === 4 ? 32 : 128);
}

const isOrigin = (entry: string): boolean => {
  try {
    const url = new URL(entry);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
  } catch {
    return false;
  }
};

/** The list keys' items, which the schema sees as plain strings. */
function listProblems(e: Static<typeof CollectorEnvSchema>): string[] {
  const problems: string[] = [];
  const corsOrigins = corsOriginsOf(e.COLLECT_CORS_ORIGINS);
  const badOrigins = corsOrigins === '*' ? [] : corsOrigins.filter((o) => !isOrigin(o));
  if (corsOrigins !== '*' && (corsOrigins.length === 0 || badOrigins.length > 0)) {
    problems.push(problem('COLLECT_CORS_ORIGINS', `expected * or origins like https://shop.example, got ${JSON.stringify(badOrigins.join(',') || e.COLLECT_CORS_ORIGINS)}`));
  }
  for (const [key, value] of [['COLLECT_RATE_LIMIT_ALLOWLIST', e.COLLECT_RATE_LIMIT_ALLOWLIST], ['TRUSTED_PROXIES', e.TRUSTED_PROXIES]] as const) {
    const bad = list(value).filter((entry) => !isAddressOrRange(entry));
    if (bad.length > 0) problems.push(problem(key, `expected addresses or CIDR ranges, got ${JSON.stringify(bad.join(','))}`));
  }
  return problems;
}

const corsOriginsOf = (value: string): '*' | string[] => (value.trim() === '*' ? '*' : list(value));

export function readCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const e = readEnv(CollectorEnvSchema, env, listProblems);
  const corsOrigins = corsOriginsOf(e.COLLECT_CORS_ORIGINS);
  const allowList = list(e.COLLECT_RATE_LIMIT_ALLOWLIST);
  const trustedProxies = list(e.TRUSTED_PROXIES);
  return Object.freeze({
    bodyLimitBytes: e.COLLECT_BODY_LIMIT_BYTES,
    maxEventsPerBatch: e.COLLECT_MAX_EVENTS,
    maxJsonDepth: e.COLLECT_MAX_JSON_DEPTH,
    maxFutureMs: e.COLLECT_MAX_FUTURE_MS,
    maxPastMs: e.COLLECT_MAX_PAST_MS,
    corsOrigins,
    rateLimit: Object.freeze({ max: e.COLLECT_RATE_LIMIT_MAX, windowMs: e.COLLECT_RATE_LIMIT_WINDOW_MS, allowList }),
    trustedProxies,
    botHeadless: e.COLLECT_BOT_HEADLESS,
    produceTimeoutMs: e.COLLECT_PRODUCE_TIMEOUT_MS,
    spoolDir: e.COLLECT_SPOOL_DIR,
    spoolMaxBytes: e.COLLECT_SPOOL_MAX_BYTES,
  });
}
