// The importer's other two formats on the real engines: REES46 paced through
// the real POST /collect (times shifted to now), Online Retail with its own
// times straight into Kafka. Expected figures come from SOURCES.md and from
// reading the CSV here with the documented rules.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readRecords } from '../../infra/all-in-one/importer/read-records.ts';
import { pollUntil } from '../helpers/events.ts';
import { runImporter } from '../helpers/run-importer.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';
import { sampleFile } from '../helpers/sample-data.ts';

const REES46 = sampleFile('rees46_nov_sample.csv');
const RETAIL = sampleFile('online_retail_sample_b.csv');


describe('REES46 and Online Retail samples through the pipeline', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack?.stop();
  });

  test('REES46 at --speed 100 through the collector: SOURCES.md counts, times shifted to now', async () => {
    const startedAt = Date.now();
    const run = await runImporter([REES46, '--format', 'rees46', '--speed', '100', '--url', stack.url], {});
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /via collector \(http:\/\/127\.0\.0\.1:\d+\/collect\), times shifted to now, 100× real time/);
    assert.match(run.stdout, /rows read {8}683\n/);
    // 678 view → page_view + product_view, 3 cart, 2 purchase → order_submit + order_pay.
    const expected = 678 * 2 + 3 + 2 * 2;
    const where = "properties['source'] = 'rees46'";
    const counted = await pollUntil(() => stack.sql<{ n: number }>(`SELECT count() AS n FROM events WHERE ${where}`), (r) => r[0]!.n >= expected, 30_000);
    assert.deepEqual(counted, [{ n: expected }]);
    const byType = await stack.sql<{ type: string; n: number }>(`SELECT type, count() AS n FROM events WHERE ${where} GROUP BY type ORDER BY type`);
    assert.deepEqual(byType, [
      { type: 'cart_add', n: 3 }, { type: 'order_pay', n: 2 }, { type: 'order_submit', n: 2 }, { type: 'page_view', n: 678 }, { type: 'product_view', n: 678 },
    ]);
    const [shape] = await stack.sql<{ users: number; sessions: number; products: number; span_ms: number; first_ms: number; ua: string }>(`
      SELECT uniqExact(user_id) AS users, uniqExact(session_id) AS sessions,
             uniqExactIf(product_id, product_id != '') AS products,
             toUnixTimestamp64Milli(max(ts)) - toUnixTimestamp64Milli(min(ts)) AS span_ms,
             toUnixTimestamp64Milli(min(ts)) AS first_ms, any(user_agent) AS ua
      FROM events WHERE ${where}`);
    assert.deepEqual([shape!.users, shape!.sessions, shape!.products, shape!.ua], [233, 240, 490, 'shoppulse-importer']);
    // 00:00:00 → 00:04:38 of 2019-11-01 replayed 100× faster starting now: 2.78 s (plus the clock skew of each request).
    assert.ok(Math.abs(shape!.span_ms - 2780) < 1000, `span ${shape!.span_ms} ms`);
    assert.ok(shape!.first_ms >= startedAt - 1000, 'times shifted to now');
  });

  test('Online Retail with --keep-times into Kafka: one paid order per invoice, cancellations dropped', async () => {
    // The documented rules, applied to the CSV here: C… invoices and lines with quantity ≤ 0 are dropped.
    const kept = new Map<string, { cents: number; guest: boolean }>();
    let header = true;
    for await (const { fields } of readRecords(RETAIL)) {
      if (header) {
        header = false;
        continue;
      }
      const [, invoice, , , quantity, , price, customer] = fields as string[];
      if (invoice!.startsWith('C') || Number(quantity) <= 0) continue;
      const entry = kept.get(invoice!) ?? { cents: 0, guest: customer === 'NA' };
      entry.cents += Math.round(Number(price) * 100) * Number(quantity);
      kept.set(invoice!, entry);
    }
    const gmvCents = [...kept.values()].reduce((s, e) => s + e.cents, 0);
    const guests = [...kept.values()].filter((e) => e.guest).length;

    const run = await runImporter([RETAIL, '--format', 'online-retail', '--keep-times'], {
      KAFKA_BROKERS: stack.brokers.join(','),
      KAFKA_RAW_TOPIC: stack.engines.kafka.rawTopic,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rows read {8}2,709\n/);
    assert.match(run.stdout, /rows skipped {5}57 {2}\(cancellation 50 · non_positive_quantity 7\)/);

    const where = "properties['source'] = 'online-retail' AND type = 'order_pay'";
    const rows = await pollUntil(
      () => stack.sql<{ orders: number; gmv_cents: number; guests: number; first: string; last: string }>(`
        SELECT count() AS orders, toInt64(sum(order_amount) * 100) AS gmv_cents, countIf(user_id = '') AS guests,
               toString(toDate(min(ts), 'Europe/London')) AS first, toString(toDate(max(ts), 'Europe/London')) AS last
        FROM events WHERE ${where}`),
      (r) => r[0]!.orders >= kept.size,
      // A year of hours to look event ids up in, on a machine the other test files share: a generous bound, not a timing claim.
      90_000,
    );
    assert.deepEqual(rows, [{ orders: kept.size, gmv_cents: gmvCents, guests, first: '2010-12-01', last: '2011-12-09' }]);
    assert.equal(kept.size, 2174);
  });
});
