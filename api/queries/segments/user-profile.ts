// One user's profile tags, computed per request from `events` (as of a given
// instant; the shop's price terciles from the product_prices_day rollup),
// plus their RFM segment and cluster from the newest job runs.
// A user's events are the person's of api/metrics/person.ts, found through a
// cheap first query instead of the whole identity map: which anonymous ids
// belong to the user.
import type { ClickHouseClient } from '@clickhouse/client';
import type { QueryParams } from '../analysis/filters.ts';
import type { QuerySource } from '../analysis/visit-rows.ts';
import { pricesFromEvents } from '../../../infra/clickhouse/product-prices.ts';
import { money, num } from '../../metrics/numbers.ts';
import { lifecycleStage, priceBand, type LifecycleStage, type PriceBand } from '../../segments/profile-tags.ts';
import { eventKpiSql, SESSIONS_SQL } from '../../metrics/metrics.ts';
import { ownAnonymousIds, PERSON_EVENTS_SQL, visitorIdentitiesQuery, type VisitorIdentity } from '../../metrics/person.ts';

const DAY_MS = 86_400_000;
const metrics = eventKpiSql();
const TOP_CATEGORIES = 3;
const TOP_HOURS = 3;

/** Interest weight of one interaction with a category (preferred categories). */
const CATEGORY_WEIGHTS = { view: 1, favorite: 2, cart: 3, purchase: 5 } as const;

export interface UserProfile {
  user_id: string;
  as_of: number;
  time_zone: string;
  first_seen_at: number;
  last_seen_at: number;
  events: number;
  sessions: number;
  paid_orders: number;
  monetary: number;
  lifecycle: { stage: LifecycleStage; days_since_first_event: number; days_since_last_event: number };
  preferred_categories: Array<{ category_id: string; score: number; views: number; favorites: number; cart_adds: number; purchases: number }>;
  price_band: { band: PriceBand; median_price: number; shop_lower_tercile: number; shop_upper_tercile: number } | null;
  active_hours: Array<{ hour: number; events: number; share: number }>;
  device: { device: string; os: string; browser: string; share: number } | null;
  location: { province: string; city: string; share: number } | null;
  rfm: { segment: string; r_score: number; f_score: number; m_score: number; recency_days: number; frequency: number; monetary: number; computed_at: number } | null;
  cluster: { cluster: number; label: string; label_key: string; computed_at: number } | null;
}

interface ProfileQuery {
  userKey: string;
  anonymousIds: string[];
  asOfMs: number;
  timeZone: string;
}

const USER_EVENTS = `${PERSON_EVENTS_SQL} AND ts < fromUnixTimestamp64Milli({as_of_ms:Int64}, 'UTC')`;

const params = (q: ProfileQuery): QueryParams => ({ person: q.userKey, person_anons: q.anonymousIds, as_of_ms: q.asOfMs, tz: q.timeZone });

/**
 * The shop's terciles over distinct products, each at its average price
 * before as_of (Σ price ÷ number of prices, the sum exact in Decimal). 'auto'
 * reads the whole UTC days before as_of's from product_prices_day and the rest
 * of as_of's day from `events`; 'events' reads `events` alone (the two are
 * held equal by test/integration/product-prices-rollup.test.ts).
 */
function shopPricesSql(source: QuerySource): string {
  const asOf = "fromUnixTimestamp64Milli({as_of_ms:Int64}, 'UTC')";
  const edge = [`ts < ${asOf}`, ...(source === 'auto' ? [`ts >= toStartOfDay(${asOf})`] : [])];
  const rollup =
    source === 'auto'
      ? `SELECT product_id AS pid, price_sum, prices FROM product_prices_day WHERE day < toDate(${asOf})
    UNION ALL
    `
      : '';
  return `
SELECT quantilesExact(1 / 3, 2 / 3)(p) AS terciles
FROM
(
  SELECT pid, toFloat64(sum(price_sum)) / sum(prices) AS p
  FROM
  (
    ${rollup}SELECT product_id AS pid, price AS price_sum, toUInt64(1) AS prices
    FROM (${pricesFromEvents({ events: edge, items: edge })})
  )
  GROUP BY pid
)`;
}

function buildProfileQueries(q: ProfileQuery, source: QuerySource) {
  const query_params = params(q);
  const facet = (dim: string, column: string) =>
    `SELECT '${dim}' AS dim, ${column} AS value, count() AS n FROM events WHERE ${USER_EVENTS} AND ${column} != '' GROUP BY value`;
  return {
    totals: {
      query: `
SELECT count() AS events, toUnixTimestamp64Milli(min(ts)) AS first_ms, toUnixTimestamp64Milli(max(ts)) AS last_ms,
       ${SESSIONS_SQL} AS sessions, ${metrics.paid_orders} AS paid_orders,
       ${metrics.gmv} AS monetary
FROM events WHERE ${USER_EVENTS}`,
      query_params,
    },
    facets: {
      query: `
SELECT dim, value, n FROM
(
  ${facet('device', 'ua_device')}
  UNION ALL ${facet('os', 'ua_os')}
  UNION ALL ${facet('browser', 'ua_browser')}
  UNION ALL ${facet('province', 'geo_province')}
  UNION ALL ${facet('city', 'geo_city')}
  UNION ALL SELECT 'hour' AS dim, toString(toHour(ts, {tz:String})) AS value, count() AS n FROM events WHERE ${USER_EVENTS} GROUP BY value
)
ORDER BY dim, n DESC, value`,
      query_params,
    },
    categories: {
      query: `
SELECT category,
       sum(multiIf(kind = 'view', {w_view:UInt8}, kind = 'favorite', {w_favorite:UInt8}, kind = 'cart', {w_cart:UInt8}, {w_purchase:UInt8})) AS score, countIf(kind = 'view') AS views, countIf(kind = 'favorite') AS favorites,
       countIf(kind = 'cart') AS cart_adds, countIf(kind = 'purchase') AS purchases
FROM
(
  SELECT product_category_id AS category,
         multiIf(type = 'favorite_add', 'favorite', type = 'cart_add', 'cart', 'view') AS kind
  FROM events
  WHERE ${USER_EVENTS} AND product_category_id != '' AND type IN ('product_view', 'product_click', 'favorite_add', 'cart_add')
  UNION ALL
  SELECT category, 'purchase' AS kind
  FROM events ARRAY JOIN order_item_category_ids AS category
  WHERE ${USER_EVENTS} AND type = 'order_pay' AND category != ''
)
GROUP BY category
ORDER BY score DESC, category
LIMIT {top:UInt8}`,
      query_params: {
        ...query_params,
        w_view: CATEGORY_WEIGHTS.view,
        w_favorite: CATEGORY_WEIGHTS.favorite,
        w_cart: CATEGORY_WEIGHTS.cart,
        w_purchase: CATEGORY_WEIGHTS.purchase,
        top: TOP_CATEGORIES,
      },
    },
    userPrices: {
      // The prices of the products the user touched: product events with a price, paid items.
      query: `
SELECT count() AS prices, quantileExact(0.5)(price) AS median_price
FROM
(
  SELECT toFloat64(assumeNotNull(product_price)) AS price
  FROM events WHERE ${USER_EVENTS} AND product_id != '' AND product_price IS NOT NULL
  UNION ALL
  SELECT toFloat64(item_price) AS price
  FROM events ARRAY JOIN order_item_prices AS item_price
  WHERE ${USER_EVENTS} AND type = 'order_pay'
)`,
      query_params,
    },
    shopPrices: { query: shopPricesSql(source), query_params: { as_of_ms: q.asOfMs } },
    rfm: {
      query: `
SELECT segment, r_score, f_score, m_score, recency_days, frequency, monetary, toUnixTimestamp64Milli(computed_at) AS computed_at_ms
FROM rfm_scores
WHERE computed_at = (SELECT max(computed_at) FROM segment_runs WHERE job = 'rfm') AND user_key = {user:String}`,
      query_params: { user: q.userKey },
    },
    cluster: {
      query: `
SELECT u.cluster AS cluster, p.label AS label, p.label_key AS label_key, toUnixTimestamp64Milli(u.computed_at) AS computed_at_ms
FROM user_clusters AS u
LEFT JOIN cluster_profiles AS p ON u.computed_at = p.computed_at AND u.cluster = p.cluster
WHERE u.computed_at = (SELECT max(computed_at) FROM segment_runs WHERE job = 'clusters') AND u.user_key = {user:String}`,
      query_params: { user: q.userKey },
    },
  };
}

type Row = Record<string, unknown>;

interface ProfileRows {
  totals: Row | undefined;
  facets: Row[];
  categories: Row[];
  userPrices: Row | undefined;
  shopPrices: Row | undefined;
  rfm: Row | undefined;
  cluster: Row | undefined;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The rows of the profile queries → the profile; null when the user has no event before as_of. */
function toUserProfile(q: ProfileQuery, rows: ProfileRows): UserProfile | null {
  const events = num(rows.totals?.events);
  if (events === 0) return null;
  const firstMs = num(rows.totals?.first_ms);
  const lastMs = num(rows.totals?.last_ms);
  const facets = (dim: string) => rows.facets.filter((f) => f.dim === dim).map((f) => ({ value: String(f.value), n: num(f.n) }));
  const top = (dim: string) => facets(dim)[0];
  const hours = facets('hour');
  const device = top('device');
  const province = top('province');
  const deviceEvents = facets('device').reduce((s, f) => s + f.n, 0);
  const provinceEvents = facets('province').reduce((s, f) => s + f.n, 0);
  const terciles = Array.isArray(rows.shopPrices?.terciles) ? (rows.shopPrices.terciles as unknown[]).map(num) : [];
  const median = num(rows.userPrices?.median_price);
  const hasPrices = num(rows.userPrices?.prices) > 0 && terciles.length === 2;
  return {
    user_id: q.userKey,
    as_of: q.asOfMs,
    time_zone: q.timeZone,
    first_seen_at: firstMs,
    last_seen_at: lastMs,
    events,
    sessions: num(rows.totals?.sessions),
    paid_orders: num(rows.totals?.paid_orders),
    monetary: money(rows.totals?.monetary),
    lifecycle: {
      stage: lifecycleStage(firstMs, lastMs, q.asOfMs),
      days_since_first_event: round((q.asOfMs - firstMs) / DAY_MS, 2),
      days_since_last_event: round((q.asOfMs - lastMs) / DAY_MS, 2),
    },
    preferred_categories: rows.categories.map((c) => ({
      category_id: String(c.category),
      score: num(c.score),
      views: num(c.views),
      favorites: num(c.favorites),
      cart_adds: num(c.cart_adds),
      purchases: num(c.purchases),
    })),
    price_band: hasPrices
      ? {
          band: priceBand(median, terciles[0]!, terciles[1]!),
          median_price: money(median),
          shop_lower_tercile: money(terciles[0]),
          shop_upper_tercile: money(terciles[1]),
        }
      : null,
    active_hours: [...hours]
      .sort((a, b) => b.n - a.n || Number(a.value) - Number(b.value))
      .slice(0, TOP_HOURS)
      .map((h) => ({ hour: Number(h.value), events: h.n, share: round(h.n / events, 4) })),
    device: device
      ? { device: device.value, os: top('os')?.value ?? '', browser: top('browser')?.value ?? '', share: round(device.n / deviceEvents, 4) }
      : null,
    location: province ? { province: province.value, city: top('city')?.value ?? '', share: round(province.n / provinceEvents, 4) } : null,
    rfm: rows.rfm
      ? {
          segment: String(rows.rfm.segment),
          r_score: num(rows.rfm.r_score),
          f_score: num(rows.rfm.f_score),
          m_score: num(rows.rfm.m_score),
          recency_days: round(num(rows.rfm.recency_days), 4),
          frequency: num(rows.rfm.frequency),
          monetary: money(rows.rfm.monetary),
          computed_at: num(rows.rfm.computed_at_ms),
        }
      : null,
    cluster: rows.cluster
      ? { cluster: num(rows.cluster.cluster), label: String(rows.cluster.label), label_key: String(rows.cluster.label_key), computed_at: num(rows.cluster.computed_at_ms) }
      : null,
  };
}

export async function queryUserProfile(
  client: ClickHouseClient,
  request: { userKey: string; asOfMs: number; timeZone: string },
  source: QuerySource = 'auto',
): Promise<UserProfile | null> {
  const identity = await client.query({ query: visitorIdentitiesQuery(), query_params: { person: request.userKey }, format: 'JSONEachRow' });
  const anonymousIds = ownAnonymousIds(request.userKey, await identity.json<VisitorIdentity>());
  const q: ProfileQuery = { ...request, anonymousIds };
  const queries = buildProfileQueries(q, source);
  const run = (sql: { query: string; query_params: QueryParams }) =>
    client.query({ ...sql, format: 'JSONEachRow' }).then((r) => r.json<Row>());
  const [totals, facets, categories, userPrices, shopPrices, rfm, cluster] = await Promise.all([
    run(queries.totals),
    run(queries.facets),
    run(queries.categories),
    run(queries.userPrices),
    run(queries.shopPrices),
    run(queries.rfm),
    run(queries.cluster),
  ]);
  return toUserProfile(q, {
    totals: totals[0],
    facets,
    categories,
    userPrices: userPrices[0],
    shopPrices: shopPrices[0],
    rfm: rfm[0],
    cluster: cluster[0],
  });
}
