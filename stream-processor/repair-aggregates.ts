// Puts back what the materialized views on `events` missed when an insert was
// interrupted after `events` got its part but before every view wrote its own
// (a process killed inside the insert: embedded chDB runs the views in the
// same process, and a ClickHouse server does not make an insert atomic across
// its views either).
//
// Such an insert is never committed to Kafka, so its events come back; the
// writer finds them already stored and hands them here instead of dropping
// them silently. For every aggregate row those events feed, the sums are
// recomputed from `events` (which is exact: one row per event_id) and only the
// difference is inserted. Idempotent aggregates (uniqExact, min, max, argMin,
// argMax, any) are merged again: merging a state twice changes nothing. Where
// a row also holds sums (events_minute, sessions_agg), its states are built
// from every stored event of the key, not only the returned ones, and a row
// is written when a sum or a state falls short: the events of one
// interrupted insert can come back in several flushes, and the first one
// already restores the key's sums (they are recomputed over all of `events`),
// so a later flush's events must not depend on the sums to be merged in
// (test/integration/aggregate-repair.test.ts splits them that way). Tables
// of idempotent states only (visitors_agg, identities) merge the returned
// events of each flush. When nothing was missed every difference is 0 and no
// row with sums is written, so a client resending an old event costs a few
// small reads.
//
// One writer per process calls this between its own inserts. Another
// processor instance writing the same minute at the same moment (scale-out
// against a ClickHouse server) could be counted in `events` but not yet in a
// view while the difference is read; the window is one query long and it only
// opens after a crash.
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_TYPES } from '../collector/contract/events.ts';
import { pricesFromEvents } from '../infra/clickhouse/product-prices.ts';
import { SESSION_TRAFFIC_SQL, TOUCH_SQL } from '../infra/clickhouse/traffic.ts';
import { PRODUCT_VISIT_KEY, PRODUCT_VISIT_SUMS, productVisitsFromEvents } from '../infra/clickhouse/product-visits.ts';
import { VISIT_KEY, VISIT_KEY_FROM_EVENTS, VISIT_SLOT_MS, visitSumColumns, visitValuesFromEvents } from '../infra/clickhouse/visits.ts';
import type { EventRow } from './steps/to-event-row.ts';

interface RepairResult {
  /** aggregate rows written, per table */
  rows: Record<string, number>;
}

export type RepairAggregates = (stored: EventRow[]) => Promise<RepairResult>;

/** events_second has a 2-day TTL: seconds older than this are not put back. */
const SECOND_TTL_MARGIN_MS = 47 * 3_600_000;

interface Keys {
  ids: string[];
  minutes: number[];
  minuteLo: number;
  minuteHi: number;
  seconds: number[];
  secondLo: number;
  secondHi: number;
  products: string[];
  sessions: string[];
  slots: number[];
  slotLo: number;
  slotHi: number;
  /** UTC days (days since 1970-01-01, as Date holds them) */
  days: number[];
  dayLo: number;
  dayHi: number;
}

const DAY_MS = 86_400_000;

function repairKeys(rows: readonly EventRow[], now: number): Keys {
  const minutes = new Set<number>();
  const seconds = new Set<number>();
  const products = new Set<string>();
  const sessions = new Set<string>();
  const slots = new Set<number>();
  const days = new Set<number>();
  for (const r of rows) {
    days.add(Math.floor(r.ts / DAY_MS));
    minutes.add(Math.floor(r.ts / 60_000) * 60);
    slots.add((Math.floor(r.ts / VISIT_SLOT_MS) * VISIT_SLOT_MS) / 1000);
    if (r.received_at >= now - SECOND_TTL_MARGIN_MS) seconds.add(Math.floor(r.received_at / 1000));
    if (r.product_id !== '') products.add(r.product_id);
    if (r.type === 'order_pay') for (const id of r.order_item_product_ids) products.add(id);
    sessions.add(r.session_id);
  }
  const m = [...minutes];
  const s = [...seconds];
  const q = [...slots];
  const d = [...days];
  return {
    ids: rows.map((r) => r.event_id),
    minutes: m,
    minuteLo: Math.min(...m),
    minuteHi: Math.max(...m) + 60,
    seconds: s,
    secondLo: s.length > 0 ? Math.min(...s) : 0,
    secondHi: s.length > 0 ? Math.max(...s) + 1 : 0,
    products: [...products],
    sessions: [...sessions],
    slots: q,
    slotLo: Math.min(...q),
    slotHi: Math.max(...q) + VISIT_SLOT_MS / 1000,
    days: d,
    dayLo: (Math.min(...d) * DAY_MS) / 1000,
    dayHi: ((Math.max(...d) + 1) * DAY_MS) / 1000,
  };
}

// The aggregate state merged from the returned events alone (idempotent
// columns), next to sums over the whole key from `events` and from the view's
// table. Each statement mirrors its materialized view (migrations 0002–0004,
// 0009, 0014–0016); test/integration/aggregate-repair.test.ts holds every view's
// table to its repair.
const EVENTS_IN_MINUTES = `ts >= fromUnixTimestamp({minute_lo:UInt32}) AND ts < fromUnixTimestamp({minute_hi:UInt32})
      AND toUnixTimestamp(toStartOfMinute(ts)) IN {minutes:Array(UInt32)}`;

const EVENTS_IN_DAYS = `ts >= fromUnixTimestamp({day_lo:UInt32}) AND ts < fromUnixTimestamp({day_hi:UInt32})
      AND toUInt16(toDate(ts)) IN {days:Array(UInt16)}`;

const STATEMENTS: Array<{ table: string; needs: (k: Keys) => boolean; sql: string }> = [
  {
    table: 'events_minute',
    needs: () => true,
    sql: `
INSERT INTO events_minute (minute, type, events, visitors_exact, amount)
SELECT e.minute, e.type, e.events - t.events, e.visitors_state, e.amount - t.amount
FROM (
    SELECT toStartOfMinute(ts) AS minute, type, count() AS events, toDecimal128(sum(ifNull(order_amount, 0)), 2) AS amount,
           uniqExact(anonymous_id) AS visitors, uniqExactState(anonymous_id) AS visitors_state
    FROM events WHERE ${EVENTS_IN_MINUTES}
    GROUP BY minute, type
) AS e
LEFT JOIN (
    SELECT minute, type, sum(events) AS events, sum(amount) AS amount, uniqExactMerge(visitors_exact) AS visitors
    FROM events_minute WHERE toUnixTimestamp(minute) IN {minutes:Array(UInt32)}
    GROUP BY minute, type
) AS t USING (minute, type)
WHERE e.events > t.events OR e.visitors > t.visitors`,
  },
  {
    table: 'events_second',
    needs: (k) => k.seconds.length > 0,
    sql: `
INSERT INTO events_second (second, type, events)
SELECT e.second, e.type, e.events - t.events
FROM (
    SELECT toDateTime(received_at) AS second, type, count() AS events
    FROM events
    WHERE received_at >= fromUnixTimestamp({second_lo:UInt32}) AND received_at < fromUnixTimestamp({second_hi:UInt32})
      AND toUnixTimestamp(toDateTime(received_at)) IN {seconds:Array(UInt32)}
    GROUP BY second, type
) AS e
LEFT JOIN (
    SELECT second, type, sum(events) AS events
    FROM events_second WHERE toUnixTimestamp(second) IN {seconds:Array(UInt32)}
    GROUP BY second, type
) AS t USING (second, type)
WHERE e.events > t.events`,
  },
  {
    table: 'products_minute',
    needs: (k) => k.products.length > 0,
    sql: `
INSERT INTO products_minute (minute, product_id, name, views, cart_adds, paid_units, gmv)
SELECT e.minute, e.product_id, e.name, e.views - t.views, e.cart_adds - t.cart_adds,
       e.paid_units - t.paid_units, e.gmv - t.gmv
FROM (
    SELECT minute, product_id, max(name) AS name, sum(views) AS views, sum(cart_adds) AS cart_adds,
           sum(paid_units) AS paid_units, sum(gmv) AS gmv
    FROM (
        SELECT toStartOfMinute(ts) AS minute, product_id, max(product_name) AS name,
               countIf(type = 'product_view') AS views, countIf(type = 'cart_add') AS cart_adds,
               toUInt64(0) AS paid_units, toDecimal128(0, 2) AS gmv
        FROM events
        WHERE ${EVENTS_IN_MINUTES} AND product_id IN {products:Array(String)}
        GROUP BY minute, product_id
        UNION ALL
        SELECT toStartOfMinute(ts) AS minute, item_product_id AS product_id, '' AS name,
               toUInt64(0) AS views, toUInt64(0) AS cart_adds,
               toUInt64(sum(item_quantity)) AS paid_units, toDecimal128(sum(item_price * item_quantity), 2) AS gmv
        FROM events
        ARRAY JOIN order_item_product_ids AS item_product_id, order_item_prices AS item_price, order_item_quantities AS item_quantity
        WHERE ${EVENTS_IN_MINUTES} AND type = 'order_pay' AND item_product_id IN {products:Array(String)}
        GROUP BY minute, product_id
    )
    GROUP BY minute, product_id
) AS e
LEFT JOIN (
    SELECT minute, product_id, max(name) AS name, sum(views) AS views, sum(cart_adds) AS cart_adds,
           sum(paid_units) AS paid_units, sum(gmv) AS gmv
    FROM products_minute
    WHERE toUnixTimestamp(minute) IN {minutes:Array(UInt32)} AND product_id IN {products:Array(String)}
    GROUP BY minute, product_id
) AS t USING (minute, product_id)
WHERE e.views > t.views OR e.cart_adds > t.cart_adds OR e.paid_units > t.paid_units OR e.gmv > t.gmv OR e.name > t.name`,
  },
  {
    // A session's events lie between its stored start and end, widened by
    // the returned events (which the stored row may be missing).
    table: 'sessions_agg',
    needs: (k) => k.sessions.length > 0,
    sql: `
INSERT INTO sessions_agg
SELECT e.session_id, e.anonymous_id, e.user_id, e.started_at, e.ended_at,
       e.events - t.events, e.pages - t.pages, e.entry_state, e.exit_state,
       e.orders_paid - t.orders_paid, e.revenue - t.revenue, e.traffic_state
FROM (
    SELECT session_id, any(anonymous_id) AS anonymous_id, max(user_id) AS user_id, min(ts) AS started_at, max(ts) AS ended_at,
           count() AS events, countIf(type = 'page_view') AS pages,
           argMinIf(page_url, ts, page_url != '') AS entry_page, argMaxIf(page_url, ts, page_url != '') AS exit_page,
           argMinStateIf(page_url, ts, page_url != '') AS entry_state, argMaxStateIf(page_url, ts, page_url != '') AS exit_state,
           countIf(type = 'order_pay') AS orders_paid,
           toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS revenue,
           argMin(${SESSION_TRAFFIC_SQL}, ts) AS traffic,
           argMinState(${SESSION_TRAFFIC_SQL}, ts) AS traffic_state
    FROM events
    WHERE session_id IN {sessions:Array(String)}
      AND ts >= (SELECT if(count() = 0, fromUnixTimestamp({minute_lo:UInt32}), least(min(started_at), fromUnixTimestamp({minute_lo:UInt32})))
                 FROM sessions_agg WHERE session_id IN {sessions:Array(String)})
      AND ts < (SELECT if(count() = 0, fromUnixTimestamp({minute_hi:UInt32}), greatest(max(ended_at) + INTERVAL 1 SECOND, fromUnixTimestamp({minute_hi:UInt32})))
                FROM sessions_agg WHERE session_id IN {sessions:Array(String)})
    GROUP BY session_id
) AS e
LEFT JOIN (
    SELECT session_id, sum(events) AS events, sum(pages) AS pages, sum(orders_paid) AS orders_paid, sum(revenue) AS revenue,
           max(user_id) AS user_id, min(started_at) AS started_at, max(ended_at) AS ended_at,
           argMinMerge(entry_page) AS entry_page, argMaxMerge(exit_page) AS exit_page, argMinMerge(traffic) AS traffic
    FROM sessions_agg WHERE session_id IN {sessions:Array(String)}
    GROUP BY session_id
) AS t USING (session_id)
WHERE e.events > t.events OR e.user_id > t.user_id OR e.started_at < t.started_at OR e.ended_at > t.ended_at
   OR e.entry_page != t.entry_page OR e.exit_page != t.exit_page OR e.traffic != t.traffic`,
  },
  {
    // Per slot × session: the whole key recomputed from `events`, the
    // difference of the sums inserted with the key's type bits (OR-ed:
    // idempotent). Every event adds to `events`, so a row falls short
    // exactly when its `events` does.
    table: 'visits_15m',
    needs: () => true,
    sql: visitsRepairSql(),
  },
  {
    // Per product × slot: the whole key recomputed from `events`, the
    // difference of the sums inserted with the key's name (max: idempotent).
    table: 'product_visits_15m',
    needs: (k) => k.products.length > 0,
    sql: productVisitsRepairSql(),
  },
  {
    // Per product × day: the sums recomputed from `events`, the difference inserted.
    table: 'product_prices_day',
    needs: (k) => k.products.length > 0,
    sql: `
INSERT INTO product_prices_day (day, product_id, price_sum, prices)
SELECT e.day, e.product_id, e.s - t.s, e.n - t.n
FROM (
    SELECT day, product_id, sum(price) AS s, count() AS n
    FROM (${pricesFromEvents({
      events: [EVENTS_IN_DAYS, 'product_id IN {products:Array(String)}'],
      items: [EVENTS_IN_DAYS, 'item_product_id IN {products:Array(String)}'],
    })}
    )
    GROUP BY day, product_id
) AS e
LEFT JOIN (
    SELECT day, product_id, sum(price_sum) AS s, sum(prices) AS n
    FROM product_prices_day WHERE toUInt16(day) IN {days:Array(UInt16)} AND product_id IN {products:Array(String)}
    GROUP BY day, product_id
) AS t USING (day, product_id)
WHERE e.n > t.n`,
  },
  {
    // argMax only: merging the returned events' identities again is idempotent.
    table: 'identities',
    needs: () => true,
    sql: `
INSERT INTO identities (anonymous_id, identified_as)
SELECT anonymous_id, argMaxState(user_id, (ts, user_id))
FROM events WHERE ${EVENTS_IN_MINUTES} AND event_id IN {ids:Array(UUID)} AND user_id != ''
GROUP BY anonymous_id`,
  },
  {
    // min/max/argMin only: the returned events' own times and traffic are what the view missed.
    table: 'visitors_agg',
    needs: () => true,
    sql: `
INSERT INTO visitors_agg (anonymous_id, first_seen_at, last_seen_at, first_traffic)
SELECT anonymous_id, min(ts), max(ts), argMinState(${TOUCH_SQL}, ts)
FROM events WHERE ${EVENTS_IN_MINUTES} AND event_id IN {ids:Array(UUID)}
GROUP BY anonymous_id`,
  },
];

function visitsRepairSql(): string {
  const key = VISIT_KEY.join(', ');
  const sums = visitSumColumns(EVENT_TYPES);
  return `
INSERT INTO visits_15m (${key}, ${sums.join(', ')}, type_bits)
SELECT ${VISIT_KEY.map((k) => `e.${k}`).join(', ')}, ${sums.map((c) => `e.${c} - t.${c}`).join(', ')}, e.type_bits
FROM (
    SELECT ${VISIT_KEY_FROM_EVENTS}, ${visitValuesFromEvents(EVENT_TYPES)}
    FROM events
    WHERE ts >= fromUnixTimestamp({slot_lo:UInt32}) AND ts < fromUnixTimestamp({slot_hi:UInt32})
      AND toUnixTimestamp(toStartOfFifteenMinutes(ts)) IN {slots:Array(UInt32)}
      AND session_id IN {sessions:Array(String)}
    GROUP BY ${key}
) AS e
LEFT JOIN (
    SELECT ${key}, ${sums.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM visits_15m
    WHERE toUnixTimestamp(slot) IN {slots:Array(UInt32)} AND session_id IN {sessions:Array(String)}
    GROUP BY ${key}
) AS t USING (${key})
WHERE e.events > t.events`;
}

function productVisitsRepairSql(): string {
  const key = PRODUCT_VISIT_KEY.join(', ');
  const inSlots = [
    'ts >= fromUnixTimestamp({slot_lo:UInt32}) AND ts < fromUnixTimestamp({slot_hi:UInt32})',
    'toUnixTimestamp(toStartOfFifteenMinutes(ts)) IN {slots:Array(UInt32)}',
  ];
  const sums = PRODUCT_VISIT_SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  return `
INSERT INTO product_visits_15m (${key}, name, ${PRODUCT_VISIT_SUMS.join(', ')})
SELECT ${PRODUCT_VISIT_KEY.map((k) => `e.${k}`).join(', ')}, e.name, ${PRODUCT_VISIT_SUMS.map((c) => `e.${c} - t.${c}`).join(', ')}
FROM (
    SELECT ${key}, max(name) AS name, ${sums}
    FROM (${productVisitsFromEvents({
      events: [...inSlots, 'product_id IN {products:Array(String)}'],
      items: [...inSlots, 'item_product_id IN {products:Array(String)}'],
    })}
    )
    GROUP BY ${key}
) AS e
LEFT JOIN (
    SELECT ${key}, max(name) AS name, ${sums}
    FROM product_visits_15m
    WHERE toUnixTimestamp(slot) IN {slots:Array(UInt32)} AND product_id IN {products:Array(String)}
    GROUP BY ${key}
) AS t USING (${key})
WHERE ${[...PRODUCT_VISIT_SUMS.map((c) => `e.${c} > t.${c}`), 'e.name > t.name'].join(' OR ')}`;
}

export function createAggregateRepair(client: ClickHouseClient, now: () => number = Date.now): RepairAggregates {
  return async (stored) => {
    const rows: Record<string, number> = {};
    if (stored.length === 0) return { rows };
    const k = repairKeys(stored, now());
    const params = {
      ids: k.ids,
      minutes: k.minutes,
      minute_lo: k.minuteLo,
      minute_hi: k.minuteHi,
      seconds: k.seconds,
      second_lo: k.secondLo,
      second_hi: k.secondHi,
      products: k.products,
      sessions: k.sessions,
      slots: k.slots,
      slot_lo: k.slotLo,
      slot_hi: k.slotHi,
      days: k.days,
      day_lo: k.dayLo,
      day_hi: k.dayHi,
    };
    for (const statement of STATEMENTS) {
      if (!statement.needs(k)) continue;
      const result = await client.command({ query: statement.sql, query_params: params });
      rows[statement.table] = writtenRows(result.summary);
    }
    return { rows };
  };
}

function writtenRows(summary: { written_rows?: string } | undefined): number {
  return Number(summary?.written_rows ?? 0);
}
