// The stream processor alone, for production: needs KAFKA_BROKERS and
// CLICKHOUSE_URL (embedded chDB binds its data to one process; npm start
// runs everything in one).
import { clickHouseTarget, createClickHouse } from '../infra/clickhouse/client.ts';
import { migrate } from '../infra/clickhouse/migrate.ts';
import { readEnginesConfig } from '../infra/config.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { ensureRawTopic } from '../infra/kafka/topics.ts';
import { createRootLogger } from '../infra/logger.ts';
import { requireSet, runService } from '../infra/run-service.ts';
import { createClickHouseInsert } from './clickhouse-writer.ts';
import { readProcessorConfig } from './config.ts';
import { startProcessor } from './kafka-consumer.ts';

runService('stream processor', async () => {
  const engines = readEnginesConfig();
  const config = readProcessorConfig();
  const log = createRootLogger({ name: 'stream-processor', level: engines.logLevel });
  const brokers = requireSet(engines.kafka.brokers, 'KAFKA_BROKERS must be set when the processor runs alone.');
  requireSet(engines.clickhouse.url, 'CLICKHOUSE_URL must be set when the processor runs alone.');
  const kafka = createKafka({ brokers, clientId: 'shoppulse-processor' }, log);
  await ensureRawTopic(kafka, engines.kafka.rawTopic);
  const clickhouse = createClickHouse(clickHouseTarget({ ...engines.clickhouse, dataDir: engines.dataDir }));
  await migrate(clickhouse, log);
  const processor = await startProcessor({
    kafka,
    topic: engines.kafka.rawTopic,
    groupId: engines.kafka.consumerGroup,
    insert: createClickHouseInsert(clickhouse),
    batching: config,
    log,
  });
  return {
    log,
    stop: async () => {
      await processor.stop();
      await clickhouse.close();
    },
  };
});
