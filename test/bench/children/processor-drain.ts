// The processor benchmark's subject: the real stream processor (startProcessor)
// writing into embedded chDB, as `npm start` runs it, draining a pre-filled
// topic. Usage: node --import tsx processor-drain.ts '<json DrainArgs>'
// IPC: sends {type:'ready'} once ClickHouse is migrated, waits for {type:'go'},
// then {type:'progress'} about every poll and {type:'done'} when `events`
// holds `expected` rows.
import { clickHouseTarget, createClickHouse } from '../../../infra/clickhouse/client.ts';
import { migrate } from '../../../infra/clickhouse/migrate.ts';
import { createKafka } from '../../../infra/kafka/client.ts';
import { createRootLogger } from '../../../infra/logger.ts';
import { readProcessorConfig } from '../../../stream-processor/config.ts';
import { startProcessor } from '../../../stream-processor/processor.ts';

export interface DrainArgs {
  brokers: string[];
  topic: string;
  failedTopic: string;
  groupId: string;
  dataDir: string;
  expected: number;
  pollMs: number;
}

export interface DrainPoint {
  ms: number;
  rows: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as DrainArgs;
const log = createRootLogger({ name: 'bench-processor', level: 'warn' });
const kafka = createKafka({ brokers: args.brokers, clientId: 'shoppulse-bench-processor' }, log);
const clickhouse = createClickHouse(
  clickHouseTarget({ url: undefined, username: 'default', password: '', database: 'default', dataDir: args.dataDir }),
);
await migrate(clickhouse, log);

async function countRows(): Promise<number> {
  const result = await clickhouse.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
process.send?.({ type: 'ready' });
await go;

const started = Date.now();
const processor = await startProcessor({
  kafka,
  topics: { raw: args.topic, failed: args.failedTopic },
  groupId: args.groupId,
  clickhouse,
  // The production defaults (PROCESSOR_MAX_BATCH_ROWS, PROCESSOR_FLUSH_INTERVAL_MS).
  batching: readProcessorConfig({}),
  log,
  onFatal: (err) => {
    process.send?.({ type: 'fatal', message: err.message });
    process.exit(1);
  },
});
const timeline: DrainPoint[] = [];
let rows = 0;
while (rows < args.expected) {
  await new Promise((r) => setTimeout(r, args.pollMs));
  rows = await countRows();
  const point = { ms: Date.now() - started, rows };
  timeline.push(point);
  process.send?.({ type: 'progress', ...point });
}
const stats = { ...processor.stats, writer: { ...processor.stats.writer } };
process.send?.({ type: 'done', timeline, stats });
await processor.stop();
await clickhouse.close();
process.disconnect?.();
// Exit, not wait for the embedded engine's handles: a V8 CPU profile (--cpu-prof) is written on exit.
process.exit(0);
