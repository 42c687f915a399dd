// The ShopPulse event contract, written once. The tracker imports the types,
// the collector and the stream processor validate with the compiled checker in
// validate-event.ts. New fields arrive optional; breaking changes bump
// SCHEMA_VERSION.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

// 2: the optional `touch` (where the session and the visitor came from).
export const SCHEMA_VERSION = 2;

export const EVENT_TYPES = [
  'page_view',
  'product_view',
  'product_click',
  'cart_add',
  'cart_remove',
  'favorite_add',
  'favorite_remove',
  'order_submit',
  'order_pay',
  'review',
  'page_leave',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types that must carry a `product`. */
export const PRODUCT_EVENT_TYPES = [
  'product_view',
  'product_click',
  'cart_add',
  'cart_remove',
  'favorite_add',
  'favorite_remove',
] as const satisfies readonly EventType[];

/** Event types that must carry an `order`. */
export const ORDER_EVENT_TYPES = ['order_submit', 'order_pay'] as const satisfies readonly EventType[];

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });
// Money is a decimal amount in the shop's currency (e.g. 199.9 for ¥199.90).
const Money = (description: string) =>
  Type.Number({ minimum: 0, maximum: 1e12, description });

export const PageSchema = Type.Object(
  {
    url: Type.String({ maxLength: 2048, description: 'location.href' }),
    referrer: Type.Optional(Type.String({ maxLength: 2048, description: 'document.referrer' })),
    title: Type.Optional(Type.String({ maxLength: 512, description: 'document.title' })),
  },
  { additionalProperties: false },
);

export const ProductSchema = Type.Object(
  {
    id: Id('shop product id (SKU or SPU)'),
    category_id: Type.Optional(Id('shop category id')),
    name: Type.Optional(Type.String({ maxLength: 256 })),
    brand: Type.Optional(Type.String({ maxLength: 128 })),
    price: Type.Optional(Money('unit price')),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  },
  { additionalProperties: false },
);

export const OrderItemSchema = Type.Object(
  {
    product_id: Id('product id'),
    category_id: Type.Optional(Id('category id')),
    price: Money('unit price'),
    quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
  },
  { additionalProperties: false },
);

export const OrderSchema = Type.Object(
  {
    id: Id('shop order id'),
    amount: Money('order total actually paid (order_pay) or to be paid (order_submit)'),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, default CNY' })),
    items: Type.Array(OrderItemSchema, { maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const ReviewSchema = Type.Object(
  {
    product_id: Id('reviewed product id'),
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);

/** Free-form extra properties: flat, scalar values only. */
export const PropertiesSchema = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean()]),
  { maxProperties: 50 },
);

const epochMs = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 8.64e15, description });

const TouchText = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));

/**
 * Where a visit came from, read by the tracker on the page it landed on:
 * the campaign parameters of that URL, the name of an ad click id in it
 * (traffic-sources.ts lists them) and document.referrer. The processor turns
 * it into channel, source and medium (README, "Traffic sources").
 */
export const TouchSchema = Type.Object(
  {
    ts: epochMs('when the visit landed, client clock, epoch ms'),
    referrer: Type.Optional(Type.String({ maxLength: 2048, description: 'document.referrer on landing' })),
    source: TouchText('utm_source'),
    medium: TouchText('utm_medium'),
    campaign: TouchText('utm_campaign'),
    term: TouchText('utm_term'),
    content: TouchText('utm_content'),
    click_id: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'name of the ad click id parameter on the landing URL, e.g. gclid' })),
  },
  { additionalProperties: false },
);
export type Touch = Static<typeof TouchSchema>;

export const TouchesSchema = Type.Object(
  {
    session: TouchSchema,
    first: Type.Optional(TouchSchema),
  },
  {
    additionalProperties: false,
    description: 'session: how this session began; first: how this browser first came to the shop (schema 2)',
  },
);

const baseFields = {
  event_id: Type.String({
    format: 'uuid',
    description: 'UUID made by the client; the deduplication key',
  }),
  schema_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 255, default: SCHEMA_VERSION })),
  ts: epochMs('when the event happened, client clock, epoch ms'),
  sent_at: epochMs('when the batch left the client, client clock, epoch ms'),
  anonymous_id: Id('first-party visitor id made by the tracker'),
  user_id: Type.Optional(Id('the shop’s own user id, after identify()')),
  session_id: Id('tracker session id'),
  page: Type.Optional(PageSchema),
  properties: Type.Optional(PropertiesSchema),
  touch: Type.Optional(TouchesSchema),
};

const eventOf = <T extends EventType, X extends Record<string, TSchema>>(types: readonly T[], extra: X) =>
  Type.Object(
    { ...baseFields, type: Type.Union(types.map((t) => Type.Literal(t))), ...extra },
    { additionalProperties: false },
  );

export const EngagementSchema = Type.Object(
  {
    dwell_ms: Type.Integer({ minimum: 0, maximum: 86_400_000, description: 'time the page was visible, ms' }),
  },
  { additionalProperties: false },
);

export const PageViewEventSchema = eventOf(['page_view'] as const, {});
/** Sent when a page is left (pagehide / SPA navigation) with how long it was visible. */
export const PageLeaveEventSchema = eventOf(['page_leave'] as const, { engagement: EngagementSchema });
export const ProductEventSchema = eventOf(PRODUCT_EVENT_TYPES, { product: ProductSchema });
export const OrderEventSchema = eventOf(ORDER_EVENT_TYPES, { order: OrderSchema });
export const ReviewEventSchema = eventOf(['review'] as const, { review: ReviewSchema });

export const TrackedEventSchema = Type.Union([
  PageViewEventSchema,
  PageLeaveEventSchema,
  ProductEventSchema,
  OrderEventSchema,
  ReviewEventSchema,
]);

/** One event as the tracker sends it. */
export type TrackedEvent = Static<typeof TrackedEventSchema>;
export type PageViewEvent = Static<typeof PageViewEventSchema>;
export type PageLeaveEvent = Static<typeof PageLeaveEventSchema>;
export type ProductEvent = Static<typeof ProductEventSchema>;
export type OrderEvent = Static<typeof OrderEventSchema>;
export type ReviewEvent = Static<typeof ReviewEventSchema>;
export type Product = Static<typeof ProductSchema>;
export type Order = Static<typeof OrderSchema>;

/** What the collector adds before producing to Kafka. */
export const EnrichmentSchema = Type.Object({
  received_at: epochMs('collector clock when the request arrived, epoch ms'),
  user_agent: Type.String({ maxLength: 1024 }),
  client_ip: Type.String({
    maxLength: 64,
    description: 'anonymised client address: IPv4 /24 or IPv6 /48, host bits zeroed',
  }),
  // Added by the hardened collector; optional so older messages still validate.
  skew_ms: Type.Optional(
    Type.Integer({ description: 'received_at − sent_at: add to client times to put them on the collector clock' }),
  ),
  ua_browser: Type.Optional(Type.String({ maxLength: 64, description: 'browser name from the user agent' })),
  ua_os: Type.Optional(Type.String({ maxLength: 64, description: 'operating system name' })),
  ua_device: Type.Optional(Type.String({ maxLength: 16, description: 'desktop | mobile | tablet | other' })),
  geo_country: Type.Optional(Type.String({ maxLength: 64 })),
  geo_province: Type.Optional(Type.String({ maxLength: 64 })),
  geo_city: Type.Optional(Type.String({ maxLength: 64 })),
  bot: Type.Optional(Type.String({ maxLength: 64, description: 'crawler name when the user agent is a bot' })),
});
export type Enrichment = Static<typeof EnrichmentSchema>;

/** One event with everything the collector added: what the processor validates and stores. */
export type RawEnvelope = TrackedEvent & Enrichment;

/** What the collector adds once per request; skew_ms follows per event (received_at − sent_at). */
export type RequestEnrichment = Omit<Enrichment, 'skew_ms'>;

/** The body of POST /collect: one event or a batch. */
export type CollectBody = TrackedEvent | { events: TrackedEvent[] };
