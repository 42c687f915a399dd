// The API and big screen alone, for production: needs CLICKHOUSE_URL and API_TOKEN.
import Fastify, { LogController } from 'fastify';
import { readCollectorConfig } from '../collector/config.ts';
import { bigscreenDist } from '../infra/build.ts';
import { clickHouseTarget, createClickHouse } from '../infra/clickhouse/client.ts';
import { readEnginesConfig } from '../infra/config.ts';
import { createRootLogger } from '../infra/logger.ts';
import { requireSet, runService } from '../infra/run-service.ts';
import { apiPlugin } from './app.ts';
import { readApiConfig } from './config.ts';

runService('api', async () => {
  const engines = readEnginesConfig();
  const { port, host } = readCollectorConfig();
  const config = readApiConfig();
  const log = createRootLogger({ name: 'api', level: engines.logLevel });
  const apiToken = requireSet(config.apiToken, 'API_TOKEN must be set (at least 16 characters).');
  requireSet(engines.clickhouse.url, 'CLICKHOUSE_URL must be set when the API runs alone.');
  const target = clickHouseTarget({ ...engines.clickhouse, dataDir: engines.dataDir });
  const clickhouse = createClickHouse(target);
  const readOnlyClickhouse = createClickHouse(target);
  const jobsClickhouse = createClickHouse(target);
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
  await app.register(apiPlugin, { clickhouse, readOnlyClickhouse, jobsClickhouse, config: { ...config, apiToken }, bigscreenDir: bigscreenDist });
  await app.listen({ port, host });
  return {
    log,
    stop: async () => {
      await app.close();
      await clickhouse.close();
      await readOnlyClickhouse.close();
      await jobsClickhouse.close();
    },
  };
});
