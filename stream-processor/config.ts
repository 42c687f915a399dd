import { Type } from '@sinclair/typebox';
import { readEnv } from '../infra/env.ts';

export const ProcessorEnvSchema = Type.Object({
  PROCESSOR_MAX_BATCH_ROWS: Type.Integer({
    default: 10_000,
    minimum: 1000,
    description: 'insert into ClickHouse once this many rows are buffered…',
  }),
  PROCESSOR_FLUSH_INTERVAL_MS: Type.Integer({
    default: 1000,
    minimum: 50,
    maximum: 1000,
    description: '…or this long after the first buffered row, whichever comes first',
  }),
  PROCESSOR_MAX_RESTARTS: Type.Integer({
    default: 5,
    minimum: 0,
    description: 'consumer crashes tolerated before the process exits non-zero',
  }),
});

export interface ProcessorConfig {
  maxBatchRows: number;
  flushIntervalMs: number;
  maxRestarts: number;
}

export function readProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const e = readEnv(ProcessorEnvSchema, env);
  return Object.freeze({
    maxBatchRows: e.PROCESSOR_MAX_BATCH_ROWS,
    flushIntervalMs: e.PROCESSOR_FLUSH_INTERVAL_MS,
    maxRestarts: e.PROCESSOR_MAX_RESTARTS,
  });
}
