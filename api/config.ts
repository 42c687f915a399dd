import { Type } from '@sinclair/typebox';
import { readEnv } from '../infra/env.ts';

export const ApiEnvSchema = Type.Object({
  API_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token for /api/*; at least 16 characters' }),
  ),
  TIME_ZONE: Type.String({ default: 'Asia/Shanghai', description: 'IANA zone where days are cut' }),
  LIVE_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 200, maximum: 1000, description: 'snapshot period on /live' }),
  SQL_MAX_EXECUTION_TIME_S: Type.Integer({ default: 10, minimum: 1, maximum: 600 }),
  SQL_MAX_RESULT_ROWS: Type.Integer({ default: 10_000, minimum: 1, maximum: 1_000_000 }),
  JOBS_INTERVAL_MS: Type.Integer({
    default: 600_000,
    minimum: 0,
    description: 'how often the analytics jobs (RFM, clusters, recommendations) recompute; 0 = only on demand',
  }),
});

export interface ApiConfig {
  /** undefined only where the caller generates one (npm start); api/server.ts requires it */
  apiToken: string | undefined;
  timeZone: string;
  liveIntervalMs: number;
  sql: { maxExecutionTimeS: number; maxResultRows: number };
  jobsIntervalMs: number;
}

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = readEnv(ApiEnvSchema, env);
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.TIME_ZONE });
  } catch {
    throw new Error(`Invalid configuration:\n  TIME_ZONE: unknown time zone ${JSON.stringify(e.TIME_ZONE)}`);
  }
  return Object.freeze({
    apiToken: e.API_TOKEN,
    timeZone: e.TIME_ZONE,
    liveIntervalMs: e.LIVE_INTERVAL_MS,
    sql: Object.freeze({ maxExecutionTimeS: e.SQL_MAX_EXECUTION_TIME_S, maxResultRows: e.SQL_MAX_RESULT_ROWS }),
    jobsIntervalMs: e.JOBS_INTERVAL_MS,
  });
}
