// Synthetic shop traffic for the endpoint benchmark, generated inside
// ClickHouse with INSERT … SELECT FROM numbers(): no row passes through Node,
// so ten million events load in minutes. Inserting into `events` fires every
// materialized view (events_minute, events_second, products_minute,
// sessions_agg, visitors_agg) exactly as the stream processor's inserts do.
//
// Every value is a deterministic hash of the row number (cityHash64), so the
// same options and day give the same data (event ids aside). Distributions:
// - sessions: browsing comes in sessions of 1 + ⌊Exp(mean 7)⌋ events (at most
//   80), 40 s apart on average, each of one visitor: ≈ 7 events a session;
// - visitors: `visitors` ids, activity skewed (id = ⌊V·u^1.6⌋: a few heavy
//   visitors, a long tail); 45 % identify, and the first two events of 20 % of
//   their sessions come before identify() (user_id ''), so the identity stitch
//   has work to do; device, province and home category are fixed per visitor;
// - products: `products` ids in `categories` categories (category = id mod C),
//   70 % of a visitor's product events in their home category, popularity
//   skewed inside a category and overall; a fixed log-uniform price per
//   product between 5 and 2,000;
// - event types: a session opens with a page_view; then page_view 26 %,
//   product_view 32 %, product_click 6 %, cart_add 6 %, cart_remove 1 %,
//   favorite_add 2 %, favorite_remove 0.5 %, review 0.5 %, page_leave 26 %
//   (with a dwell time); orders separately (170 per 10,000 events, in
//   checkout sessions of their own): 1–3 items, quantity 1–2, every order
//   submitted, 85 % paid 0.5–10.5 min later (≈ 3 % of all events);
// - traffic: each session (and checkout session) draws its channel, source,
//   medium and campaign from TRAFFIC (35 % direct, search, social, ads, a
//   campaign), so attribution has touches to find;
// - time: the `days` whole days (TIME_ZONE days) before today, later days a
//   little busier, hours following a shop's day (low at 04:00, peak at 21:00).
import type { ClickHouseClient } from '@clickhouse/client';

export interface SyntheticTraffic {
  /** total events to insert (browsing + order events), ≥ 1 */
  events: number;
  visitors: number;
  products: number;
  categories: number;
  days: number;
  /** rows per INSERT statement */
  chunkRows: number;
  /** hash salt: another seed gives other data with the same shape */
  seed: number;
}

export const DEFAULT_TRAFFIC: SyntheticTraffic = {
  events: 10_000_000,
  visitors: 1_000_000,
  products: 100_000,
  categories: 500,
  days: 30,
  chunkRows: 1_000_000,
  seed: 7,
};

/** Orders per event: 1.7 % of the events are orders submitted, 85 % of those also paid. */
const ORDERS_PER_EVENT = 0.017;
const PAID_SHARE = 0.85;
/** Mean events of a browsing session (1 + an exponential of mean 7, rounded down, at most 80). */
const MEAN_EVENTS_PER_SESSION = 7.5;

// Relative weight of each hour of the day (TIME_ZONE), 00:00 … 23:00.
const HOUR_WEIGHTS = [3.5, 2, 1.2, 0.8, 0.6, 0.7, 1.2, 2.2, 3.2, 4, 4.5, 4.6, 4.5, 4.5, 4.6, 4.6, 4.5, 4.4, 4.7, 5.5, 6.3, 6.8, 6.5, 5];

// Province shares (per mille, roughly by online-shopping population); '' = not located.
const PROVINCES: Array<[string, number]> = [
  ['广东省', 120], ['浙江省', 80], ['江苏省', 80], ['山东省', 60], ['北京市', 50], ['上海市', 50], ['河南省', 45], ['四川省', 45],
  ['福建省', 40], ['湖北省', 35], ['湖南省', 35], ['河北省', 35], ['安徽省', 30], ['辽宁省', 25], ['陕西省', 25], ['江西省', 20],
  ['重庆市', 20], ['广西壮族自治区', 20], ['天津市', 15], ['云南省', 15], ['山西省', 15], ['黑龙江省', 12], ['吉林省', 10],
  ['贵州省', 10], ['内蒙古自治区', 8], ['新疆维吾尔自治区', 8], ['甘肃省', 7], ['海南省', 7], ['宁夏回族自治区', 3],
  ['青海省', 2], ['西藏自治区', 1], ['', 67],
];

// How sessions arrive (README "Traffic sources"): channel, source, medium,
// campaign and weight; drawn once per session (a checkout session draws its own).
const TRAFFIC: Array<[string, string, string, string, number]> = [
  ['direct', '(direct)', '(none)', '', 35],
  ['organic_search', 'baidu', 'organic', '', 20],
  ['social', 'wechat', 'social', '', 15],
  ['social', 'douyin', 'social', '', 8],
  ['paid_search', 'baidu', 'cpc', '', 7],
  ['email', 'newsletter', 'email', 'd11', 5],
  ['referral', 'taobao.com', 'referral', '', 5],
  ['display', 'douyin', 'cpc', 'd11_live', 5],
];

/** `weights` spread over `size` slots, so arrayElement(table, 1 + ⌊u·size⌋) draws with those weights. */
export function drawTable<T>(values: readonly T[], weights: readonly number[], size: number): T[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const out: T[] = [];
  let cumulative = 0;
  values.forEach((value, i) => {
    cumulative += weights[i] ?? 0;
    const until = Math.round((cumulative / total) * size);
    while (out.length < until) out.push(value);
  });
  while (out.length < size) out.push(values[values.length - 1] as T);
  return out;
}

const DAY_MS = 86_400_000;

/** Epoch ms of the start of today in the zone (the data ends there). */
export function startOfDayMs(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(nowMs))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offsetMs = asUtc - Math.floor(nowMs / 1000) * 1000;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!) - offsetMs;
}

/** Uniform [0, 1) from the row number and a stream id k. */
const U = (k: number) => `(cityHash64(n, {seed:UInt64}, ${k}) % 4294967296) / 4294967296.`;
/** Uniform [0, 1) from a visitor id and a stream id k (the visitor's fixed traits). */
const VU = (k: number) => `(cityHash64(v, {seed:UInt64}, ${k}) % 4294967296) / 4294967296.`;

/** The product a visitor touches: 70 % from their home category, else anywhere; popular ones more often. */
const productExpr = (uPick: string, uRank: string) => `if(${uPick} < 0.7,
      (cityHash64(v, {seed:UInt64}, 40) % {categories:UInt64}) + {categories:UInt64} * toUInt64(floor(intDiv({products:UInt64}, {categories:UInt64}) * pow(${uRank}, 2))),
      toUInt64(floor({products:UInt64} * pow(${uRank}, 2.5))))`;

// Shared columns of one generated row, given v (visitor), day, ms_in_day, n.
const VISITOR_COLUMNS = `
    concat('a', toString(v)) AS anonymous_id,
    ${VU(41)} < 0.45 AS identifies,
    arrayElement({devices:Array(String)}, 1 + toUInt32(floor(${VU(42)} * 100))) AS device,
    arrayElement({provinces:Array(String)}, 1 + toUInt32(floor(${VU(43)} * 1000))) AS province,
    {start_ms:Int64} + day * ${DAY_MS} + ms_in_day AS ts_ms`;

const ROW_COLUMNS = `
  generateUUIDv4(n) AS event_id, type, 1 AS schema_version,
  fromUnixTimestamp64Milli(ts_ms, 'UTC') AS ts, fromUnixTimestamp64Milli(ts_ms, 'UTC') AS client_ts, 0 AS skew_ms,
  fromUnixTimestamp64Milli(ts_ms + 40, 'UTC') AS sent_at, fromUnixTimestamp64Milli(ts_ms + 90, 'UTC') AS received_at,
  anonymous_id, user_id, session_id,
  user_agent, if(province = '', '', '203.0.113.0') AS client_ip,
  multiIf(device = 'mobile', 'Mobile Safari', device = 'tablet', 'Safari', 'Chrome') AS ua_browser,
  multiIf(device = 'mobile', 'iOS', device = 'tablet', 'iPadOS', device = 'desktop', 'Windows', 'Linux') AS ua_os,
  device AS ua_device, if(province = '', '', '中国') AS geo_country, province AS geo_province, '' AS geo_city,
  arrayElement({t_channel:Array(String)}, traffic) AS channel, arrayElement({t_source:Array(String)}, traffic) AS source,
  arrayElement({t_medium:Array(String)}, traffic) AS medium, arrayElement({t_campaign:Array(String)}, traffic) AS campaign,
  toUInt16(n % 6) AS kafka_partition, n AS kafka_offset`;

/** The session's row of TRAFFIC (1-based), from a uniform drawn once per session. */
const TRAFFIC_OF = (u: string) => `arrayElement({traffic:Array(UInt8)}, 1 + toUInt32(floor(${u} * 100))) AS traffic`;

const COMMON_TARGETS = `event_id, type, schema_version, ts, client_ts, skew_ms, sent_at, received_at, anonymous_id, user_id, session_id,
  user_agent, client_ip, ua_browser, ua_os, ua_device, geo_country, geo_province, geo_city, channel, source, medium, campaign,
  kafka_partition, kafka_offset`;

const USER_AGENT_SQL = `multiIf(device = 'mobile', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      device = 'tablet', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36')`;

const TIME_COLUMNS = (k: number) => `
    toUInt64(floor({days:UInt64} * pow(${U(k)}, 0.85))) AS day,
    toUInt64(arrayElement({hours:Array(UInt8)}, 1 + toUInt32(floor(${U(k + 1)} * 1000)))) * 3600000 + toUInt64(floor(${U(k + 2)} * 3600000)) AS ms_in_day`;

function browseInsert(): string {
  return `
INSERT INTO events (${COMMON_TARGETS}, page_url, page_title, product_id, product_category_id, product_name, product_brand, product_price,
  product_quantity, review_product_id, review_rating, dwell_ms)
SELECT ${ROW_COLUMNS},
  if(type IN ('page_view', 'page_leave') OR has_product, concat('https://shop.example/p/', product_id), '') AS page_url,
  if(type = 'page_view', concat('Product ', product_id), '') AS page_title,
  if(has_product, product_id, '') AS product_id,
  if(has_product, category_id, '') AS product_category_id,
  if(has_product, concat('Product ', product_id), '') AS product_name,
  if(has_product, concat('brand-', toString(product % 300)), '') AS product_brand,
  if(has_product, price, NULL) AS product_price,
  if(type IN ('cart_add', 'cart_remove'), 1, NULL) AS product_quantity,
  if(type = 'review', product_id, '') AS review_product_id,
  if(type = 'review', toUInt8(1 + floor(pow(${U(9)}, 0.4) * 5)), NULL) AS review_rating,
  if(type = 'page_leave', toUInt32(1000 + floor(300000 * pow(${U(10)}, 3))), NULL) AS dwell_ms
FROM
(
  SELECT n, v, day, ms_in_day, anonymous_id, device, province, traffic,
    least(ts_ms + toInt64(i) * 40000 + toInt64(floor(${U(11)} * 40000)), toInt64({end_ms:Int64}) - 1) AS ts_ms,
    if(identifies AND (NOT before_identify OR i > 1), concat('u', toString(v)), '') AS user_id,
    concat('s', toString(s)) AS session_id,
    ${USER_AGENT_SQL} AS user_agent,
    if(i = 0, 'page_view',
      multiIf(type_u < 0.26, 'page_view', type_u < 0.58, 'product_view', type_u < 0.64, 'product_click', type_u < 0.70, 'cart_add',
              type_u < 0.71, 'cart_remove', type_u < 0.73, 'favorite_add', type_u < 0.735, 'favorite_remove', type_u < 0.74, 'review',
              'page_leave')) AS type,
    type IN ('product_view', 'product_click', 'cart_add', 'cart_remove', 'favorite_add', 'favorite_remove') AS has_product,
    product, concat('p', toString(product)) AS product_id, concat('c', toString(product % {categories:UInt64})) AS category_id,
    toDecimal64(round(5 * pow(400, (cityHash64(product, {seed:UInt64}, 50) % 4294967296) / 4294967296.), 2), 2) AS price
  FROM
  (
    SELECT cityHash64(s, i) AS n, s, i, v, day, ms_in_day, anonymous_id, identifies, device, province, ts_ms, before_identify, traffic,
      ${U(2)} AS type_u, ${productExpr(U(3), U(4))} AS product
    FROM
    (
      SELECT s, v, ${TIME_COLUMNS(5)}, ${VISITOR_COLUMNS},
        -- Session length: 1 + exponential with mean 7 events, at most 80.
        toUInt64(least(80, 1 + floor(-log(1 - ${U(12)}) * 7))) AS events_in_session,
        ${U(13)} < 0.2 AS before_identify,
        ${TRAFFIC_OF(U(14))}
      FROM
      (
        SELECT number AS s, number AS n, toUInt64(floor({visitors:UInt64} * pow(${U(1)}, 1.6))) AS v
        FROM numbers({start:UInt64}, {count:UInt64})
      )
    )
    ARRAY JOIN range(events_in_session) AS i
  )
)
LIMIT {limit:UInt64}`;
}

function ordersInsert(): string {
  return `
INSERT INTO events (${COMMON_TARGETS}, page_url, order_id, order_amount, order_currency, order_item_product_ids, order_item_category_ids,
  order_item_prices, order_item_quantities)
SELECT ${ROW_COLUMNS},
  'https://shop.example/checkout' AS page_url, order_id, order_amount, 'CNY' AS order_currency,
  item_ids, item_categories, item_prices, item_quantities
FROM
(
  SELECT cityHash64(o, stage) AS n, v, anonymous_id, device, province, stage, day, ms_in_day, traffic,
    least(ts_ms + if(stage = 2, 30000 + toInt64(floor(${U(35)} * 600000)), 0), toInt64({end_ms:Int64}) - 1) AS ts_ms,
    if(stage = 1, 'order_submit', 'order_pay') AS type,
    if(identifies, concat('u', toString(v)), '') AS user_id,
    concat('co', toString(o)) AS session_id,
    ${USER_AGENT_SQL} AS user_agent,
    concat('o', toString(o)) AS order_id,
    arrayMap(p -> concat('p', toString(p)), products) AS item_ids,
    arrayMap(p -> concat('c', toString(p % {categories:UInt64})), products) AS item_categories,
    arrayMap(p -> toDecimal64(round(5 * pow(400, (cityHash64(p, {seed:UInt64}, 50) % 4294967296) / 4294967296.), 2), 2), products) AS item_prices,
    arrayMap(i -> toUInt32(1 + (cityHash64(o, i, {seed:UInt64}) % 4 = 0)), arrayEnumerate(products)) AS item_quantities,
    toDecimal64(arraySum(arrayMap((p, q) -> p * q, item_prices, item_quantities)), 2) AS order_amount
  FROM
  (
    SELECT n AS o, v, day, ms_in_day, anonymous_id, identifies, device, province, ts_ms, ${U(34)} AS pay_u, ${TRAFFIC_OF(U(38))},
      arrayDistinct(arrayMap(i -> ${productExpr(`((cityHash64(n, i, {seed:UInt64}, 36) % 4294967296) / 4294967296.)`, `((cityHash64(n, i, {seed:UInt64}, 37) % 4294967296) / 4294967296.)`)},
        range(toUInt64(1 + (${U(33)} >= 0.7) + (${U(33)} >= 0.9))))) AS products
    FROM
    (
      SELECT n, v, ${TIME_COLUMNS(30)}, ${VISITOR_COLUMNS}
      FROM
      (
        SELECT number AS n, toUInt64(floor({visitors:UInt64} * pow(${U(31)}, 1.3))) AS v
        FROM numbers({orders:UInt64})
      )
    )
  )
  ARRAY JOIN [1, 2] AS stage
  WHERE stage = 1 OR pay_u < ${PAID_SHARE}
)`;
}

export interface LoadedTraffic {
  events: number;
  orderEvents: number;
  browseEvents: number;
  fromMs: number;
  toMs: number;
  ms: number;
}

/**
 * Inserts the traffic into `events` of a migrated, empty ClickHouse. Orders
 * first (their count is known only once inserted), then browsing events in
 * chunks up to exactly `events` rows. `onProgress` gets the rows so far.
 */
export async function loadSyntheticTraffic(
  client: ClickHouseClient,
  t: SyntheticTraffic,
  options: { nowMs: number; timeZone: string; onProgress?: (rows: number, ms: number) => void },
): Promise<LoadedTraffic> {
  const started = Date.now();
  const toMs = startOfDayMs(options.nowMs, options.timeZone);
  const fromMs = toMs - t.days * DAY_MS;
  const base = {
    seed: t.seed,
    visitors: t.visitors,
    products: t.products,
    categories: t.categories,
    days: t.days,
    start_ms: fromMs,
    end_ms: toMs,
    hours: drawTable(HOUR_WEIGHTS.map((_, h) => h), HOUR_WEIGHTS, 1000),
    provinces: drawTable(PROVINCES.map((p) => p[0]), PROVINCES.map((p) => p[1]), 1000),
    devices: drawTable(['mobile', 'desktop', 'tablet', 'other'], [62, 30, 5, 3], 100),
    traffic: drawTable(TRAFFIC.map((_, i) => i + 1), TRAFFIC.map((t) => t[4]), 100),
    t_channel: TRAFFIC.map((t) => t[0]),
    t_source: TRAFFIC.map((t) => t[1]),
    t_medium: TRAFFIC.map((t) => t[2]),
    t_campaign: TRAFFIC.map((t) => t[3]),
  };
  const count = async () => {
    const result = await client.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' });
    return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
  };
  const before = await count();
  if (before !== 0) throw new Error(`events must be empty before loading, holds ${before} rows`);
  const orders = Math.max(1, Math.round(t.events * ORDERS_PER_EVENT));
  await client.command({ query: ordersInsert(), query_params: { ...base, orders } });
  const orderEvents = await count();
  if (orderEvents > t.events) throw new Error(`${orderEvents} order events already exceed ${t.events}`);
  options.onProgress?.(orderEvents, Date.now() - started);
  let loaded = orderEvents;
  for (let session = 0; loaded < t.events; ) {
    const want = Math.min(t.chunkRows, t.events - loaded);
    // A few more sessions than the mean length needs; LIMIT cuts the last one short.
    const sessions = Math.ceil((want / MEAN_EVENTS_PER_SESSION) * 1.1) + 10;
    await client.command({ query: browseInsert(), query_params: { ...base, start: session, count: sessions, limit: want } });
    session += sessions;
    loaded = await count();
    options.onProgress?.(loaded, Date.now() - started);
  }
  const events = await count();
  if (events !== t.events) throw new Error(`loaded ${events} events, expected ${t.events}`);
  return { events, orderEvents, browseEvents: events - orderEvents, fromMs, toMs, ms: Date.now() - started };
}
