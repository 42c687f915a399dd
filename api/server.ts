// The API and big screen alone, for production: needs CLICKHOUSE_URL and API_TOKEN;
// WALL_TOKEN (the kiosk's view-only token) and KAFKA_BROKERS (consumer lag) are optional.
import Fastify, { LogController } from 'fastify';
import { bigscreenDist } from '../infra/paths.ts';
import { clickHouseTarget } from '../infra/clickhouse/client.ts';
import { createWorkloads } from '../infra/clickhouse/workload.ts';
import { readEnginesConfig, readListenConfig } from '../infra/config.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { createRootLogger } from '../infra/logger.ts';
import { requireSet, runService } from '../infra/run-service.ts';
import { apiPlugin } from './app.ts';
import { readApiConfig } from './config.ts';
import { createConsumerLagProbe } from './live/consumer-lag.ts';

runService('api', async () => {
  const engines = readEnginesConfig();
  const { port, host } = readListenConfig();
  const config = readApiConfig();
  const log = createRootLogger({ name: 'api', level: engines.logLevel });
  const apiToken = requireSet(config.apiToken, 'API_TOKEN must be set (at least 16 characters).');
  requireSet(engines.clickhouse.url, 'CLICKHOUSE_URL must be set when the API runs alone.');
  const target = clickHouseTarget({ ...engines.clickhouse, dataDir: engines.dataDir });
  const workloads = createWorkloads({ target, policy: engines.workload, log });
  // The wall's consumer lag reads the processor group's offsets; without
  // KAFKA_BROKERS it shows as unknown.
  const brokers = engines.kafka.brokers;
  const lagProbe = brokers
    ? createConsumerLagProbe({
        kafka: createKafka({ brokers, clientId: 'shoppulse-api' }, log),
        groupId: engines.kafka.consumerGroup,
        topic: engines.kafka.rawTopic,
        log: log.child({ component: 'consumer-lag' }),
      })
    : undefined;
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
  await app.register(apiPlugin, {
    workloads,
    config: { ...config, apiToken },
    bigscreenDir: bigscreenDist,
    ...(lagProbe ? { consumerLag: lagProbe.read } : {}),
  });
  await app.listen({ port, host });
  return {
    log,
    stop: async () => {
      await app.close();
      await lagProbe?.close();
      await workloads.close();
    },
  };
});
