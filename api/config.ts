import { Type } from '@sinclair/typebox';
import { problem, readEnv } from '../infra/env.ts';

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const ApiEnvSchema = Type.Object({
  API_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token for /api/*; at least 16 characters' }),
  ),
  WALL_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'view-only token of the wall (/live); at least 16 characters; API_TOKEN opens /live too' }),
  ),
  TIME_ZONE: Type.String({ default: 'Asia/Shanghai', description: 'IANA zone where days are cut' }),
  LIVE_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 200, maximum: 1000, description: 'snapshot period on /live' }),
  // Time, memory and rows read of /api/sql are the analyst class's (WORKLOAD_ANALYST_*).
  SQL_MAX_RESULT_ROWS: Type.Integer({ default: 10_000, minimum: 1, maximum: 1_000_000, description: 'rows one /api/sql answer may hold' }),
  JOBS_INTERVAL_MS: Type.Integer({
    default: 600_000,
    minimum: 0,
    description: 'how often the analytics jobs (RFM, clusters, recommendations) recompute; 0 = only on demand',
  }),
  SEGMENTS_WINDOW_DAYS: Type.Optional(
    Type.Integer({ minimum: 1, description: 'days of history the rfm and clusters jobs use, back from each run; unset = all history' }),
  ),
  RECS_WINDOW_DAYS: Type.Integer({
    default: 90,
    minimum: 1,
    description: 'days of history the recommendation jobs use, back from the newest event',
  }),
  ATTRIBUTION_LOOKBACK_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 365,
    description: 'days before a payment within which its last non-direct touch is credited with it (GET /api/analysis/sources)',
  }),
});

export interface ApiConfig {
  /** undefined only where the caller generates one (npm start); api/server.ts requires it */
  apiToken: string | undefined;
  /** view-only token for /live (the kiosk URL); undefined: only apiToken opens /live (npm start makes one up) */
  wallToken: string | undefined;
  timeZone: string;
  liveIntervalMs: number;
  sql: { maxResultRows: number };
  jobsIntervalMs: number;
  /** history window of the rfm and clusters jobs, days; undefined = all history (SEGMENTS_WINDOW_DAYS) */
  segmentsWindowDays: number | undefined;
  /** history window of the recommendation jobs, days (RECS_WINDOW_DAYS) */
  recsWindowDays: number;
  /** last-non-direct attribution window, days (ATTRIBUTION_LOOKBACK_DAYS) */
  attributionLookbackDays: number;
}

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = readEnv(ApiEnvSchema, env, (values) => (isTimeZone(values.TIME_ZONE) ? [] : [problem('TIME_ZONE', `unknown time zone ${JSON.stringify(values.TIME_ZONE)}`)]));
  return Object.freeze({
    apiToken: e.API_TOKEN,
    wallToken: e.WALL_TOKEN,
    timeZone: e.TIME_ZONE,
    liveIntervalMs: e.LIVE_INTERVAL_MS,
    sql: Object.freeze({ maxResultRows: e.SQL_MAX_RESULT_ROWS }),
    jobsIntervalMs: e.JOBS_INTERVAL_MS,
    segmentsWindowDays: e.SEGMENTS_WINDOW_DAYS,
    recsWindowDays: e.RECS_WINDOW_DAYS,
    attributionLookbackDays: e.ATTRIBUTION_LOOKBACK_DAYS,
  });
}
