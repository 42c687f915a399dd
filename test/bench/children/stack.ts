// The latency benchmark's subject: the whole system as `npm start -- --no-demo`
// runs it (collector, processor, embedded ClickHouse, API with /live) on the
// benchmark's broker, with its own topic, group and data dir (the test stack).
// Needs KAFKA_BROKERS in its environment. With STORED_EVENTS=N, first loads
// N synthetic events (the endpoint benchmark's traffic, endpoints-data.ts)
// into its store and waits for the merges the load started, so a benchmark
// sees a shop with history. IPC:
// {type:'progress', message}, then {type:'ready', url, token}; stops on SIGTERM.
import { rmSync } from 'node:fs';
import { clickHouseTarget, createClickHouse } from '../../../infra/clickhouse/client.ts';
import { startTestStack, TEST_API_TOKEN } from '../../helpers/test-stack.ts';
import { DEFAULT_TRAFFIC, loadSyntheticTraffic } from '../endpoints-data.ts';

const stack = await startTestStack({ demo: false });
const stored = Number(process.env.STORED_EVENTS ?? 0);
if (stored > 0) {
  // A second client on the stack's own store (embedded: the same engine in this process).
  const client = createClickHouse(clickHouseTarget({ ...stack.engines.clickhouse, dataDir: stack.engines.dataDir }));
  const traffic = { ...DEFAULT_TRAFFIC, events: stored, visitors: Math.max(1, Math.round(stored * (DEFAULT_TRAFFIC.visitors / DEFAULT_TRAFFIC.events))) };
  const loaded = await loadSyntheticTraffic(client, traffic, {
    nowMs: Date.now(),
    timeZone: 'Asia/Shanghai',
    onProgress: (rows, ms) => process.send?.({ type: 'progress', message: `stored ${rows.toLocaleString('en')} events in ${Math.round(ms / 1000)} s` }),
  });
  process.send?.({ type: 'progress', message: `stored ${loaded.events.toLocaleString('en')} events in ${Math.round(loaded.ms / 1000)} s` });
  // A bulk load leaves minutes of background merges behind, which a shop that
  // gathered the same history over weeks never has at once: wait until they
  // are done (three quiet polls in a row), at most 20 minutes.
  const started = Date.now();
  for (let quiet = 0; quiet < 3 && Date.now() - started < 1_200_000; ) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [row] = await (await client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' })).json<{ n: string | number }>();
    quiet = Number(row?.n ?? 0) === 0 ? quiet + 1 : 0;
  }
  process.send?.({ type: 'progress', message: `background merges done ${Math.round((Date.now() - started) / 1000)} s after the load` });
  await client.close();
}
process.send?.({ type: 'ready', url: stack.url, token: TEST_API_TOKEN });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void stack
    .stop()
    .finally(() => {
      rmSync(stack.engines.dataDir, { recursive: true, force: true });
      process.exit(0);
    });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
