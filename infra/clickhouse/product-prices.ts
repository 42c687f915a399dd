// The price rollup `product_prices_day` (migration 0016) as SQL over rows of
// `events`: one row per price its two materialized views add up (product
// events with a price; order_pay items). The user profile's terciles read it
// for the as_of day's edge and for their events-only form, the processor's
// aggregate repair to rebuild rows a view missed.

const and = (conditions: readonly string[]) => conditions.map((c) => ` AND ${c}`).join('');

/**
 * (day, product_id, price) for every price in `events`, price as the rollup's
 * Decimal(38, 2). Extra conditions apply to the product events (columns of
 * `events`) and to the paid items (after the ARRAY JOIN: item_product_id and
 * the event's columns).
 */
export function pricesFromEvents(where: { events: readonly string[]; items: readonly string[] }): string {
  return `
    SELECT toDate(ts) AS day, product_id, toDecimal128(assumeNotNull(product_price), 2) AS price
    FROM events WHERE product_id != '' AND product_price IS NOT NULL${and(where.events)}
    UNION ALL
    SELECT toDate(ts) AS day, item_product_id AS product_id, toDecimal128(item_price, 2) AS price
    FROM events ARRAY JOIN order_item_product_ids AS item_product_id, order_item_prices AS item_price
    WHERE type = 'order_pay'${and(where.items)}`;
}
