// The stream processor alone, for production: needs KAFKA_BROKERS, and
// CLICKHOUSE_URL unless it is the only process on an embedded chDB data dir
// (chDB binds a data dir to one process; npm start runs everything in one).
import { clickHouseTarget } from '../infra/clickhouse/client.ts';
import { createWorkloads } from '../infra/clickhouse/workload.ts';
import { migrate } from '../infra/clickhouse/migrate.ts';
import { readEnginesConfig } from '../infra/config.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { ensureEventTopics } from '../infra/kafka/topics.ts';
import { createRootLogger } from '../infra/logger.ts';
import { exitOnFatal, requireSet, runService } from '../infra/run-service.ts';
import { readProcessorConfig } from './config.ts';
import { startProcessor } from './processor.ts';

runService('stream processor', async () => {
  const engines = readEnginesConfig();
  const config = readProcessorConfig();
  const log = createRootLogger({ name: 'stream-processor', level: engines.logLevel });
  const brokers = requireSet(engines.kafka.brokers, 'KAFKA_BROKERS must be set when the processor runs alone.');
  const kafka = createKafka({ brokers, clientId: 'shoppulse-processor' }, log);
  await ensureEventTopics(kafka, { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic });
  const target = clickHouseTarget({ ...engines.clickhouse, dataDir: engines.dataDir, maxServerMemoryBytes: engines.workload.memoryBudgetBytes });
  const workloads = createWorkloads({ target, policy: engines.workload, log });
  await migrate(workloads.admin, log);
  const processor = await startProcessor({
    kafka,
    topics: { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic },
    groupId: engines.kafka.consumerGroup,
    clickhouse: workloads.client('ingest'),
    batching: config,
    log,
    onFatal: exitOnFatal(log),
  });
  return {
    log,
    stop: async () => {
      await processor.stop();
      await workloads.close();
    },
  };
});
