// The whole ShopPulse system in one process: engines (local Kafka and
// embedded ClickHouse unless pointed elsewhere), collector, stream processor,
// API and big screen on one port, and optional demo traffic. Used by
// `npm start` (infra/all-in-one/main.ts) and by the integration tests.
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { collectorPlugin } from '../../collector/app.ts';
import type { CollectorConfig } from '../../collector/config.ts';
import { startDemoTraffic } from './demo/simulator.ts';
import { startCollectorPublisher } from '../../collector/delivery/start-publisher.ts';
import { buildTracker } from '../../collector/tracker/build-tracker.ts';
import { apiPlugin } from '../../api/app.ts';
import type { ApiConfig } from '../../api/config.ts';
import { createConsumerLagProbe } from '../../api/live/consumer-lag.ts';
import type { ProcessorConfig } from '../../stream-processor/config.ts';
import { startProcessor } from '../../stream-processor/processor.ts';
import { bigscreenDist, repoRoot } from '../paths.ts';
import { clickHouseTarget, describeTarget } from '../clickhouse/client.ts';
import { createWorkloads } from '../clickhouse/workload.ts';
import { migrate } from '../clickhouse/migrate.ts';
import type { EnginesConfig, ListenConfig } from '../config.ts';
import { createKafka } from '../kafka/client.ts';
import { startLocalKafka } from '../kafka/local-broker.ts';
import { ensureEventTopics } from '../kafka/topics.ts';
import { exitOnFatal } from '../run-service.ts';

export interface StackOptions {
  engines: EnginesConfig;
  /** one HTTP port for the collector, the API and the screen */
  listen: ListenConfig;
  collector: CollectorConfig;
  processor: ProcessorConfig;
  api: ApiConfig & { apiToken: string };
  demo: { enabled: boolean; eventsPerSecond: number };
  log: Logger;
  /** Start a local broker in its own process group (local-broker.ts); only for a caller that stops the stack on SIGINT itself. */
  brokerOwnProcessGroup?: boolean;
  /** What to do when the processor is beyond its restart budget (default: exit non-zero). */
  onFatal?: (err: Error) => void;
}

export interface RunningStack {
  url: string;
  brokers: string[];
  clickhouse: string;
  stop(): Promise<void>;
}

/**
 * The demo shoppers say where they are in X-Forwarded-For from this host: with
 * demo traffic on and TRUSTED_PROXIES unset, loopback is believed so the
 * wall's map fills. Anyone else on this host could then claim an address too;
 * without the demo nothing changes.
 */
function collectorConfig(options: StackOptions): CollectorConfig {
  const { collector, demo } = options;
  if (!demo.enabled || collector.trustedProxies.length > 0) return collector;
  return { ...collector, trustedProxies: ['127.0.0.1/32', '::1/128'] };
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { engines, log } = options;
  const stoppers: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  const stop = async () => {
    // Reverse start order: traffic, HTTP, producer, processor, ClickHouse, broker.
    for (const s of stoppers.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        log.warn({ err, part: s.name }, 'error while stopping');
      }
    }
    stoppers.length = 0;
  };

  try {
    let brokers = engines.kafka.brokers;
    if (!brokers) {
      const local = await startLocalKafka({
        dataDir: engines.dataDir,
        port: engines.kafka.localPort,
        ownProcessGroup: options.brokerOwnProcessGroup === true,
        log,
      });
      stoppers.push({ name: 'kafka', stop: local.stop });
      brokers = local.brokers;
    }
    const kafka = createKafka({ brokers, clientId: 'shoppulse' }, log);
    const created = await ensureEventTopics(kafka, { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic });
    if (created.length > 0) log.info({ topics: created }, 'created Kafka topics');

    const target = clickHouseTarget({ ...engines.clickhouse, dataDir: engines.dataDir, maxServerMemoryBytes: engines.workload.memoryBudgetBytes });
    // Every query goes through its class's limits (infra/clickhouse/workload.ts); the migrations run before any of them.
    const workloads = createWorkloads({ target, policy: engines.workload, log });
    stoppers.push({ name: 'clickhouse', stop: () => workloads.close() });
    await migrate(workloads.admin, log.child({ component: 'migrate' }));

    const processor = await startProcessor({
      kafka,
      topics: { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic },
      groupId: engines.kafka.consumerGroup,
      clickhouse: workloads.client('ingest'),
      batching: options.processor,
      log,
      onFatal: options.onFatal ?? exitOnFatal(log),
    });
    stoppers.push({ name: 'processor', stop: processor.stop });

    const collectorDelivery = await startCollectorPublisher({
      kafka,
      brokers,
      topics: { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic },
      config: options.collector,
      dataDir: engines.dataDir,
      log,
    });
    stoppers.push({ name: 'producer', stop: collectorDelivery.stop });

    const app = Fastify({
      loggerInstance: log,
      // Two log lines per beacon would drown everything else; errors still log.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: options.collector.bodyLimitBytes,
    });
    await app.register(collectorPlugin, {
      publisher: collectorDelivery.publisher,
      metrics: collectorDelivery.metrics,
      trackerScript: await buildTracker(),
      config: collectorConfig(options),
      demoDir: join(repoRoot, 'infra', 'all-in-one', 'demo', 'shop'),
    });
    // The wall's pipeline panel shows the processor group's consumer lag.
    const lagProbe = createConsumerLagProbe({
      kafka,
      groupId: engines.kafka.consumerGroup,
      topic: engines.kafka.rawTopic,
      log: log.child({ component: 'consumer-lag' }),
    });
    stoppers.push({ name: 'consumer-lag', stop: lagProbe.close });
    await app.register(apiPlugin, {
      workloads,
      config: options.api,
      bigscreenDir: bigscreenDist,
      consumerLag: lagProbe.read,
    });
    await app.listen({ port: options.listen.port, host: options.listen.host });
    stoppers.push({ name: 'http', stop: () => app.close() });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.listen.port;
    const url = `http://${options.listen.host === '0.0.0.0' ? '127.0.0.1' : options.listen.host}:${port}`;

    if (options.demo.enabled) {
      const demo = startDemoTraffic({
        collectUrl: `${url}/collect`,
        eventsPerSecond: options.demo.eventsPerSecond,
        log: log.child({ component: 'demo-traffic' }),
      });
      stoppers.push({ name: 'demo', stop: demo.stop });
    }
    return { url, brokers, clickhouse: describeTarget(target), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
