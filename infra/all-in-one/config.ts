// The configuration of `npm start`: every group the whole system reads
// (engines, listen address, collector, processor, API, demo traffic), read at
// once so that one run names every bad key of every group.
import { Type } from '@sinclair/typebox';
import { readApiConfig, type ApiConfig } from '../../api/config.ts';
import { readCollectorConfig, type CollectorConfig } from '../../collector/config.ts';
import { readProcessorConfig, type ProcessorConfig } from '../../stream-processor/config.ts';
import { readEnginesConfig, readListenConfig, type EnginesConfig, type ListenConfig } from '../config.ts';
import { readConfigs, readEnv } from '../env.ts';

const DemoEnvSchema = Type.Object({
  DEMO_EVENTS_PER_SECOND: Type.Integer({ default: 40, minimum: 1, maximum: 5000, description: 'demo traffic rate' }),
});

export interface AllInOneConfig {
  engines: EnginesConfig;
  listen: ListenConfig;
  collector: CollectorConfig;
  processor: ProcessorConfig;
  api: ApiConfig;
  demo: { eventsPerSecond: number };
}

export function readAllInOneConfig(env: NodeJS.ProcessEnv = process.env): AllInOneConfig {
  return readConfigs({
    engines: () => readEnginesConfig(env),
    listen: () => readListenConfig(env),
    collector: () => readCollectorConfig(env),
    processor: () => readProcessorConfig(env),
    api: () => readApiConfig(env),
    demo: () => ({ eventsPerSecond: readEnv(DemoEnvSchema, env).DEMO_EVENTS_PER_SECOND }),
  });
}
