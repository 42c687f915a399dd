// Offline evaluation of the recommendations on the real samples in
// ../shared/data, on the real engine (embedded chDB in a temp directory, the
// project's migrations). Each dataset is split by time: events before the cut
// are mapped by the importer's own format mappers, cleaned and turned into
// rows by the stream processor's own steps, and inserted into `events`; the
// item-similarity job runs on them exactly as in production; then, for every
// person with a relevant product after the cut, the endpoint's function
// (recommendForUser, default settings, purchases excluded) with item-based
// and with user-based CF, and the popularity baseline (the same run's
// popular_items minus what the person bought) each give 10 products, scored
// against what the person did after the cut.
//
//   npm run eval:recs                       every dataset
//   npm run eval:recs -- --dataset taobao_c  one of taobao_c, taobao_a, rees46, online_retail
//   npm run eval:recs -- --k 20             another cut-off (default 10)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import type { TrackedEvent } from '../../collector/contract/events.ts';
import type { FormatName } from '../../infra/all-in-one/importer/formats/format.ts';
import { FORMATS } from '../../infra/all-in-one/importer/formats/index.ts';
import { hasSample, sampleFile } from '../helpers/sample-data.ts';
import { readRecords } from '../../infra/all-in-one/importer/read-records.ts';
import { importerEnrichment, toImportedEvent } from '../../infra/all-in-one/importer/to-envelope.ts';
import { queryPopularItems } from '../../api/queries/recommendations/popular-items.ts';
import { lookupPerson } from '../../api/queries/person-lookup.ts';
import { queryUserHistory } from '../../api/queries/recommendations/user-history.ts';
import { createRecommendationJobs } from '../../api/recommendations/jobs.ts';
import { scoreUser, summarise, type Summary, type UserScore } from '../../api/recommendations/offline-metrics.ts';
import { recommendForUser } from '../../api/recommendations/recommend-for-user.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, type RecommendationSettings } from '../../api/recommendations/settings.ts';
import { createClickHouse } from '../../infra/clickhouse/client.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { cleanEvent } from '../../stream-processor/steps/clean-event.ts';
import { toEventRow, type EventRow } from '../../stream-processor/steps/to-event-row.ts';

/** What counts as relevant after the cut. */
type Target = 'purchase' | 'cart_or_purchase' | 'view';

interface DatasetSpec {
  name: string;
  file: string;
  format: FormatName;
  /** train: ts < cutMs; test: ts ≥ cutMs */
  cutMs: number;
  cutLabel: string;
  targets: Target[];
  /** changes to the default settings, with why */
  settings?: { label: string; overrides: Partial<RecommendationSettings> };
}

const DATASETS: DatasetSpec[] = [
  {
    name: 'taobao_c',
    file: 'taobao_c.csv',
    format: 'taobao',
    // 7 days of training, the last 2 days (12-02, 12-03 CST) for testing.
    cutMs: Date.UTC(2017, 11, 1, 16, 0),
    cutLabel: '2017-12-02 00:00 CST',
    targets: ['purchase', 'cart_or_purchase'],
  },
  {
    name: 'taobao_a',
    file: 'taobao_a.csv',
    format: 'taobao',
    // 90 minutes of training, the last 40 minutes for testing.
    cutMs: Date.UTC(2017, 10, 26, 2, 30),
    cutLabel: '2017-11-26 10:30 CST',
    targets: ['purchase', 'cart_or_purchase'],
  },
  {
    name: 'rees46',
    file: 'rees46_nov_sample.csv',
    format: 'rees46',
    // 4.6 minutes of data: 2 minutes of training.
    cutMs: Date.UTC(2019, 10, 1, 0, 2),
    cutLabel: '2019-11-01 00:02 UTC',
    targets: ['cart_or_purchase', 'view'],
  },
  {
    name: 'online_retail',
    file: 'online_retail_sample_b.csv',
    format: 'online-retail',
    // 2010-12 … 2011-09 for training, 2011-10 … 12 for testing.
    cutMs: Date.UTC(2011, 8, 30, 23, 0),
    cutLabel: '2011-10-01 00:00 London',
    targets: ['purchase'],
    // The default 90-day window would keep only July–September of the training year.
    settings: { label: 'windowDays 400', overrides: { windowDays: 400 } },
  },
];

interface Loaded {
  trainRows: number;
  testEvents: number;
  /** person → relevant products after the cut, per target kind */
  relevant: Record<Target, Map<string, Set<string>>>;
}

const personOf = (e: TrackedEvent): string => e.user_id ?? e.anonymous_id;

function addRelevant(map: Map<string, Set<string>>, person: string, productId: string): void {
  const set = map.get(person) ?? new Set<string>();
  set.add(productId);
  map.set(person, set);
}

/** Maps the file with the importer's mapper, cleans like the processor, inserts the training rows, keeps the test targets. */
async function load(client: ClickHouseClient, spec: DatasetSpec): Promise<Loaded> {
  const format = FORMATS[spec.format];
  const relevant: Loaded['relevant'] = { purchase: new Map(), cart_or_purchase: new Map(), view: new Map() };
  let mapper: ReturnType<typeof format.createMapper> | undefined;
  let batch: EventRow[] = [];
  let trainRows = 0;
  let testEvents = 0;
  const now = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    await client.insert({ table: 'events', values: batch, format: 'JSONEachRow' });
    trainRows += batch.length;
    batch = [];
  };
  const take = async (events: TrackedEvent[]) => {
    for (const event of events) {
      const cleaned = cleanEvent(toImportedEvent(event, now), importerEnrichment(now));
      if (cleaned.kind !== 'ok') throw new Error(`${spec.file}: the processor would refuse an event: ${JSON.stringify(cleaned)}`);
      const e = cleaned.value;
      if (e.ts < spec.cutMs) {
        batch.push(toEventRow(e, { partition: 0, offset: '0' }));
        if (batch.length >= 10_000) await flush();
        continue;
      }
      testEvents += 1;
      const person = personOf(e);
      if (e.type === 'order_pay') {
        for (const item of e.order.items) {
          addRelevant(relevant.purchase, person, item.product_id);
          addRelevant(relevant.cart_or_purchase, person, item.product_id);
        }
      } else if (e.type === 'cart_add') {
        addRelevant(relevant.cart_or_purchase, person, e.product.id);
      } else if (e.type === 'product_view') {
        addRelevant(relevant.view, person, e.product.id);
      }
    }
  };
  for await (const { fields, line } of readRecords(sampleFile(spec.file))) {
    if (!mapper) {
      const header = format.hasHeader ? fields : null;
      mapper = format.createMapper({ source: basename(spec.file), header });
      if (header) continue;
    }
    await take(mapper.mapRow(fields, line).events);
  }
  if (mapper) await take(mapper.finish().events);
  await flush();
  return { trainRows, testEvents, relevant };
}

interface Recs {
  endpoint: string[];
  userBased: string[];
  popular: string[];
  ownHistory: string[];
  warm: boolean;
  cfSlots: number;
  userCfSlots: number;
}

interface Row {
  dataset: string;
  target: Target;
  users: string;
  method: string;
  summary: Summary;
}

async function evaluate(client: ClickHouseClient, spec: DatasetSpec, k: number, log: ReturnType<typeof createRootLogger>): Promise<{ rows: Row[]; notes: string[] }> {
  for (const table of ['events', 'user_item_interactions', 'item_similarity', 'popular_items', 'item_users']) {
    await client.command({ query: `TRUNCATE TABLE ${table}` });
  }
  const loaded = await load(client, spec);
  const settings: RecommendationSettings = { ...DEFAULT_RECOMMENDATION_SETTINGS, ...(spec.settings?.overrides ?? {}) };
  const job = createRecommendationJobs(settings).find((j) => j.name === 'item-similarity')!;
  const started = Date.now();
  await job.run({ clickhouse: client, computedAt: Date.now(), log, timeZone: 'UTC' });
  const jobMs = Date.now() - started;
  const [stats] = await (
    await client.query({
      query: `SELECT (SELECT uniqExact(person) FROM user_item_interactions) AS people,
                     (SELECT uniqExact(product_id) FROM user_item_interactions) AS products,
                     (SELECT uniqExact(product_id) FROM item_similarity) AS with_neighbours,
                     (SELECT count() FROM item_similarity) AS neighbour_rows,
                     (SELECT uniqExact(person) FROM item_users) AS indexed_people`,
      format: 'JSONEachRow',
    })
  ).json<Record<string, string | number>>();

  // Every person with a relevant product under some target, scored once.
  const people = new Set<string>();
  for (const target of spec.targets) for (const person of loaded.relevant[target].keys()) people.add(person);
  const recs = new Map<string, Recs>();
  for (const person of people) {
    const endpoint = await recommendForUser(client, { userId: person, limit: k, includePurchased: false, settings });
    const userBased = await recommendForUser(client, { userId: person, limit: k, includePurchased: false, settings, method: 'user' });
    const history = await queryUserHistory(client, { person: await lookupPerson(client, person), weights: settings.weights, maxItems: settings.maxItemsPerUser });
    const purchased = history.filter((h) => h.purchased).map((h) => h.product_id);
    const popular = await queryPopularItems(client, { computedAt: endpoint.computed_at ?? 0, exclude: purchased, limit: 2 * k });
    // Reference: the person's own not-bought products, strongest (then latest) first, filled with popular ones.
    const own = history.filter((h) => !h.purchased && h.weight > 0).map((h) => h.product_id);
    recs.set(person, {
      endpoint: endpoint.items.map((i) => i.product_id),
      userBased: userBased.items.map((i) => i.product_id),
      popular: popular.slice(0, k).map((p) => p.product_id),
      ownHistory: [...new Set([...own, ...popular.map((p) => p.product_id)])].slice(0, k),
      warm: endpoint.history_items > 0,
      cfSlots: endpoint.items.filter((i) => i.source === 'cf').length,
      userCfSlots: userBased.items.filter((i) => i.source === 'cf').length,
    });
  }

  const rows: Row[] = [];
  for (const target of spec.targets) {
    const relevant = loaded.relevant[target];
    for (const subset of ['all', 'with history'] as const) {
      const chosen = [...relevant.entries()].filter(([person]) => subset === 'all' || recs.get(person)!.warm);
      const score = (pick: (r: Recs) => string[]): Summary =>
        summarise(chosen.map(([person, items]): UserScore => scoreUser(pick(recs.get(person)!), items, k)));
      const users = `${chosen.length} ${subset}`;
      rows.push({ dataset: spec.name, target, users, method: 'popularity baseline', summary: score((r) => r.popular) });
      rows.push({ dataset: spec.name, target, users, method: 'item CF + popular fill (endpoint)', summary: score((r) => r.endpoint) });
      rows.push({ dataset: spec.name, target, users, method: 'user CF + popular fill (endpoint, method=user)', summary: score((r) => r.userBased) });
      rows.push({ dataset: spec.name, target, users, method: '(reference) own history + popular fill', summary: score((r) => r.ownHistory) });
    }
  }
  const warm = [...recs.values()].filter((r) => r.warm);
  const cfShare = warm.length === 0 ? 0 : warm.reduce((s, r) => s + r.cfSlots, 0) / (warm.length * k);
  const userCfShare = warm.length === 0 ? 0 : warm.reduce((s, r) => s + r.userCfSlots, 0) / (warm.length * k);
  const notes = [
    `${spec.name}: cut ${spec.cutLabel}; ${loaded.trainRows} training events, ${loaded.testEvents} test events; ` +
      `${stats?.people} people × ${stats?.products} products in the window, ${stats?.with_neighbours} products with neighbours (${stats?.neighbour_rows} rows), ${stats?.indexed_people} people with ≥ 2 products in item_users; ` +
      `job ${jobMs} ms; item CF filled ${(cfShare * 100).toFixed(1)} % and user CF ${(userCfShare * 100).toFixed(1)} % of the slots of people with history` +
      (spec.settings ? `; settings: ${spec.settings.label}` : ''),
  ];
  return { rows, notes };
}

const pct = (x: number): string => (x * 100).toFixed(2);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dataset: { type: 'string', default: 'all' }, k: { type: 'string', default: '10' } } });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k: a positive integer, got ${values.k}`);
  const chosen = values.dataset === 'all' ? DATASETS : DATASETS.filter((d) => d.name === values.dataset);
  if (chosen.length === 0) throw new Error(`--dataset: one of all, ${DATASETS.map((d) => d.name).join(', ')}`);
  const missing = chosen.filter((d) => !hasSample(d.file));
  if (missing.length > 0) throw new Error(`missing samples: ${missing.map((d) => sampleFile(d.file)).join(', ')}`);

  const log = createRootLogger({ name: 'recommendations-eval', level: process.env.LOG_LEVEL ?? 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'shoppulse-recs-eval-'));
  const client = createClickHouse({ kind: 'embedded', dataDir: dir });
  try {
    await migrate(client, log);
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const spec of chosen) {
      const started = Date.now();
      const result = await evaluate(client, spec, k, log);
      rows.push(...result.rows);
      notes.push(...result.notes.map((n) => `${n}; evaluated in ${((Date.now() - started) / 1000).toFixed(1)} s`));
    }
    console.log(`| dataset | relevant after the cut | users | method | precision@${k} % | recall@${k} % | hit rate % |`);
    console.log('|---|---|---|---|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.dataset} | ${r.target} | ${r.users} | ${r.method} | ${pct(r.summary.precision)} | ${pct(r.summary.recall)} | ${pct(r.summary.hitRate)} |`);
    }
    console.log('');
    for (const n of notes) console.log(`- ${n}`);
    return 0;
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  },
);
