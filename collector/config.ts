import { Type } from '@sinclair/typebox';
import { readEnv } from '../infra/env.ts';

export const CollectorEnvSchema = Type.Object({
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1', description: 'listen address; 0.0.0.0 to accept other hosts' }),
  COLLECT_BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, description: 'largest accepted POST /collect body' }),
  COLLECT_MAX_EVENTS: Type.Integer({ default: 1000, minimum: 1, description: 'most events in one POST /collect' }),
});

export interface CollectorConfig {
  port: number;
  host: string;
  bodyLimitBytes: number;
  maxEventsPerBatch: number;
}

export function readCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const e = readEnv(CollectorEnvSchema, env);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    bodyLimitBytes: e.COLLECT_BODY_LIMIT_BYTES,
    maxEventsPerBatch: e.COLLECT_MAX_EVENTS,
  });
}
