// The importer end to end on the real engines: `npm run import` replays the
// real Taobao sample ../shared/data/taobao_c.csv with its own event times
// straight into Kafka, the stream processor stores it, and the analysis API
// must reproduce the reference figures of ../shared/data/SOURCES.md exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createKafka } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { pollUntil } from '../helpers/events.ts';
import { consumerLag } from '../helpers/raw-events.ts';
import { runImporter } from '../helpers/run-importer.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';
import { sampleFile } from '../helpers/sample-data.ts';

const SAMPLE = sampleFile('taobao_c.csv');

// 9,046 pv → page_view + product_view, 536 cart, 212 fav, 206 buy → order_submit + order_pay.
const EXPECTED_EVENTS = 9046 * 2 + 536 + 212 + 206 * 2;

/** SOURCES.md: daily PV (pv events) and UV (users with any event) in China Standard Time. */
const DAILY: Array<[string, number, number]> = [
  ['2017-11-25', 983, 71], ['2017-11-26', 728, 81], ['2017-11-27', 697, 69], ['2017-11-28', 1000, 75], ['2017-11-29', 914, 82],
  ['2017-11-30', 931, 78], ['2017-12-01', 1053, 86], ['2017-12-02', 1426, 113], ['2017-12-03', 1310, 110],
];
/** SOURCES.md: distinct users with a pv that day. */
const DAILY_PV_USERS = [69, 78, 67, 73, 81, 75, 81, 110, 105];


describe('taobao_c.csv imported with --keep-times reproduces SOURCES.md', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  const api = async (path: string) => {
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    const body = (await response.json()) as any;
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    stack = await startTestStack();
    env = { KAFKA_BROKERS: stack.brokers.join(','), KAFKA_RAW_TOPIC: stack.engines.kafka.rawTopic };
  });
  after(async () => {
    await stack?.stop();
  });

  test('npm run import -- taobao_c.csv --format taobao --keep-times: every event in ClickHouse once', async () => {
    const run = await runImporter([SAMPLE, '--format', 'taobao', '--keep-times'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /--keep-times: sending straight to Kafka/);
    assert.match(run.stdout, /rows read {8}10,000\n/);
    assert.match(run.stdout, /events sent {6}19,252 {2}\(page_view 9,046 · product_view 9,046 · cart_add 536 · favorite_add 212 · order_pay 206 · order_submit 206\)/);
    assert.match(run.stdout, /rows skipped {5}0\n/);
    const rows = await pollUntil(
      () => stack.sql<{ n: number; ids: number }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events'),
      (r) => r[0]!.n >= EXPECTED_EVENTS,
      60_000,
    );
    assert.deepEqual(rows, [{ n: EXPECTED_EVENTS, ids: EXPECTED_EVENTS }]);
  });

  test('per behaviour 9,046 / 536 / 212 / 206; 114 users, 7,623 items, 1,096 categories', async () => {
    const all = await api('/api/analysis/overview');
    assert.deepEqual(
      { pv: all.pv, product_views: all.product_views, cart_adds: all.cart_adds, favorites: all.favorites, orders: all.orders, paid_orders: all.paid_orders, uv: all.uv, buyers: all.buyers },
      { pv: 9046, product_views: 9046, cart_adds: 536, favorites: 212, orders: 206, paid_orders: 206, uv: 114, buyers: 74 },
    );
    const [catalogue] = await stack.sql<{ users: number; items: number; categories: number }>(`
      SELECT uniqExact(user_id) AS users, uniqExact(item) AS items, uniqExact(category) AS categories
      FROM (
        SELECT user_id, product_id AS item, product_category_id AS category FROM events WHERE product_id != ''
        UNION ALL
        SELECT user_id, item, category FROM events
        ARRAY JOIN order_item_product_ids AS item, order_item_category_ids AS category
        WHERE type = 'order_pay'
      )`);
    assert.deepEqual(catalogue, { users: 114, items: 7623, categories: 1096 });
  });

  test('daily PV and UV in Asia/Shanghai, 2017-11-25 … 12-03', async () => {
    const series = await api('/api/analysis/timeseries?from=2017-11-25&to=2017-12-04&granularity=day');
    assert.equal(series.time_zone, 'Asia/Shanghai');
    assert.deepEqual(
      series.points.map((p: any) => [p.label.slice(0, 10), p.by_type.page_view.events, p.visitors]),
      DAILY,
    );
    assert.deepEqual(series.points.map((p: any) => p.by_type.page_view.visitors), DAILY_PV_USERS);
    // The 4 rows of 2017-11-24 fall outside the nine days.
    const outside = await api('/api/analysis/overview?to=2017-11-25');
    assert.equal(outside.pv + outside.cart_adds + outside.favorites + outside.paid_orders, 4);
  });

  test('74 buyers, 37 of whom bought at least twice', async () => {
    const repurchase = await api('/api/analysis/repurchase');
    assert.equal(repurchase.buyers, 74);
    assert.equal(repurchase.repeat_buyers, 37);
    assert.equal(repurchase.repurchase_rate, 0.5);
    assert.equal(repurchase.paid_orders, 206);
  });

  test('importing the same file again stores nothing new (deterministic event ids)', async () => {
    const run = await runImporter([SAMPLE, '--format', 'taobao', '--keep-times', '--limit', '2000'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rows read {8}2,000\n/);
    const kafka = createKafka({ brokers: stack.brokers, clientId: 'import-taobao-test' }, createRootLogger({ name: 'test', level: 'warn' }));
    const lag = await pollUntil(() => consumerLag(kafka, stack.engines.kafka.consumerGroup, stack.engines.kafka.rawTopic), (n) => n === 0, 60_000);
    assert.equal(lag, 0, 'the processor consumed the second import');
    const rows = await stack.sql<{ n: number }>('SELECT count() AS n FROM events');
    assert.deepEqual(rows, [{ n: EXPECTED_EVENTS }]);
  });
});
