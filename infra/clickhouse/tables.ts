// The ClickHouse tables the migrations create (infra/clickhouse/migrations),
// by their role. migrate.test.ts checks the two agree.
export const TABLES = {
  /** clean events, one row per event_id */
  events: 'events',
  eventsMinute: 'events_minute',
  eventsSecond: 'events_second',
  productsMinute: 'products_minute',
  sessionsAgg: 'sessions_agg',
  visitorsAgg: 'visitors_agg',
  /** per 15-minute slot × visitor × session × province × device: counts per type, paid money */
  visits15m: 'visits_15m',
  /** per product × 15-minute slot × visitor × province × device × category: views, carts, favourites, paid orders, units, GMV */
  productVisits15m: 'product_visits_15m',
  productPricesDay: 'product_prices_day',
  identities: 'identities',
  failedEvents: 'failed_events',
  botEvents: 'bot_events',
  duplicateEvents: 'duplicate_events',
} as const;
