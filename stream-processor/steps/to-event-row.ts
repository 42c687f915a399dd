// The one mapper from the wire event to a row of ClickHouse table `events`.
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { classifyTouch, touchFromPage } from './classify-touch.ts';

export interface EventRow {
  event_id: string;
  type: string;
  schema_version: number;
  /** event time on the collector clock (client ts + skew_ms), epoch ms; DateTime64(3) accepts integers in JSONEachRow */
  ts: number;
  /** ts as the client sent it */
  client_ts: number;
  skew_ms: number;
  sent_at: number;
  received_at: number;
  anonymous_id: string;
  user_id: string;
  session_id: string;
  page_url: string;
  page_referrer: string;
  page_title: string;
  product_id: string;
  product_category_id: string;
  product_name: string;
  product_brand: string;
  product_price: number | null;
  product_quantity: number | null;
  order_id: string;
  order_amount: number | null;
  order_currency: string;
  order_item_product_ids: string[];
  order_item_category_ids: string[];
  order_item_prices: number[];
  order_item_quantities: number[];
  review_product_id: string;
  review_rating: number | null;
  /** page_leave: ms the page was visible */
  dwell_ms: number | null;
  properties: Record<string, string>;
  user_agent: string;
  client_ip: string;
  ua_browser: string;
  ua_os: string;
  ua_device: string;
  geo_country: string;
  geo_province: string;
  geo_city: string;
  /** the session's touch, classified (classify-touch.ts) */
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  term: string;
  content: string;
  /** the browser's first touch, classified; '' / null when the event carries none */
  first_channel: string;
  first_source: string;
  first_medium: string;
  first_campaign: string;
  first_touch_at: number | null;
  kafka_partition: number;
  kafka_offset: string;
}

/**
 * Every column of EventRow, in one fixed order: inserts send rows as arrays
 * (JSONCompactEachRow) with this column list. ClickHouse parses that in about
 * two thirds of the time JSONEachRow takes, where every value comes with its
 * key (measured on embedded chDB, 10,000-row inserts).
 */
export const EVENT_ROW_COLUMNS = [
  'event_id', 'type', 'schema_version', 'ts', 'client_ts', 'skew_ms', 'sent_at', 'received_at',
  'anonymous_id', 'user_id', 'session_id', 'page_url', 'page_referrer', 'page_title',
  'product_id', 'product_category_id', 'product_name', 'product_brand', 'product_price', 'product_quantity',
  'order_id', 'order_amount', 'order_currency', 'order_item_product_ids', 'order_item_category_ids',
  'order_item_prices', 'order_item_quantities', 'review_product_id', 'review_rating', 'dwell_ms',
  'properties', 'user_agent', 'client_ip', 'ua_browser', 'ua_os', 'ua_device',
  'geo_country', 'geo_province', 'geo_city',
  'channel', 'source', 'medium', 'campaign', 'term', 'content',
  'first_channel', 'first_source', 'first_medium', 'first_campaign', 'first_touch_at',
  'kafka_partition', 'kafka_offset',
] as const satisfies ReadonlyArray<keyof EventRow>;

// Compile-time check that the list names every key of EventRow.
type Missing = Exclude<keyof EventRow, (typeof EVENT_ROW_COLUMNS)[number]>;
const everyColumnListed: Missing extends never ? true : Missing = true;
void everyColumnListed;

/** A row as the array JSONCompactEachRow expects, in EVENT_ROW_COLUMNS order. */
export function toCompactRow(row: EventRow): unknown[] {
  const values = new Array<unknown>(EVENT_ROW_COLUMNS.length);
  for (let i = 0; i < EVENT_ROW_COLUMNS.length; i++) values[i] = row[EVENT_ROW_COLUMNS[i]!];
  return values;
}

/** Where a message came from on the raw topic. */
export interface Source {
  partition: number;
  offset: string;
}

export function toEventRow(e: RawEnvelope, source: Source): EventRow {
  const skew = e.skew_ms ?? 0;
  const product = 'product' in e ? e.product : undefined;
  const order = 'order' in e ? e.order : undefined;
  const review = 'review' in e ? e.review : undefined;
  const engagement = 'engagement' in e ? e.engagement : undefined;
  // Without a touch (schema 1, the importer, server SDKs) the event's own page is its touch.
  const context = { pageUrl: e.page?.url ?? '', userAgent: e.user_agent };
  const traffic = classifyTouch(e.touch ? e.touch.session : touchFromPage(e.page, e.ts), context);
  const first = e.touch?.first ? classifyTouch(e.touch.first, context) : undefined;
  return {
    event_id: e.event_id,
    type: e.type,
    schema_version: e.schema_version ?? 1,
    ts: e.ts + skew,
    client_ts: e.ts,
    skew_ms: skew,
    sent_at: e.sent_at,
    received_at: e.received_at,
    anonymous_id: e.anonymous_id,
    user_id: e.user_id ?? '',
    session_id: e.session_id,
    page_url: e.page?.url ?? '',
    page_referrer: e.page?.referrer ?? '',
    page_title: e.page?.title ?? '',
    product_id: product?.id ?? '',
    product_category_id: product?.category_id ?? '',
    product_name: product?.name ?? '',
    product_brand: product?.brand ?? '',
    product_price: product?.price ?? null,
    product_quantity: product?.quantity ?? null,
    order_id: order?.id ?? '',
    order_amount: order?.amount ?? null,
    order_currency: order ? (order.currency ?? 'CNY') : '',
    order_item_product_ids: order?.items.map((i) => i.product_id) ?? [],
    order_item_category_ids: order?.items.map((i) => i.category_id ?? '') ?? [],
    order_item_prices: order?.items.map((i) => i.price) ?? [],
    order_item_quantities: order?.items.map((i) => i.quantity) ?? [],
    review_product_id: review?.product_id ?? '',
    review_rating: review?.rating ?? null,
    dwell_ms: engagement?.dwell_ms ?? null,
    // Keys are not revived by JSON.parse: clean them here too (see well-formed.ts).
    properties: Object.fromEntries(Object.entries(e.properties ?? {}).map(([k, v]) => [k.toWellFormed(), String(v)])),
    user_agent: e.user_agent,
    client_ip: e.client_ip,
    ua_browser: e.ua_browser ?? '',
    ua_os: e.ua_os ?? '',
    ua_device: e.ua_device ?? '',
    geo_country: e.geo_country ?? '',
    geo_province: e.geo_province ?? '',
    geo_city: e.geo_city ?? '',
    channel: traffic.channel,
    source: traffic.source,
    medium: traffic.medium,
    campaign: traffic.campaign,
    term: traffic.term,
    content: traffic.content,
    first_channel: first?.channel ?? '',
    first_source: first?.source ?? '',
    first_medium: first?.medium ?? '',
    first_campaign: first?.campaign ?? '',
    first_touch_at: e.touch?.first ? e.touch.first.ts + skew : null,
    kafka_partition: source.partition,
    kafka_offset: source.offset,
  };
}

/** A crawler's event: kept out of `events` and every metric, counted in `bot_events`. */
export interface BotRow {
  event_id: string;
  type: string;
  ts: number;
  received_at: number;
  bot: string;
  user_agent: string;
  page_url: string;
  client_ip: string;
}

export function toBotRow(e: RawEnvelope): BotRow {
  return {
    event_id: e.event_id,
    type: e.type,
    ts: e.ts + (e.skew_ms ?? 0),
    received_at: e.received_at,
    bot: e.bot ?? '',
    user_agent: e.user_agent,
    page_url: e.page?.url ?? '',
    client_ip: e.client_ip,
  };
}
