// The product visits rollup `product_visits_15m` (migration 0015) as SQL over
// rows of `events`: the same two grouped SELECTs its materialized views run
// (product events; order_pay items). The rankings use them for the ragged
// edges of a range and for their events-only form, the processor's aggregate
// repair to rebuild rows a view missed.

/** The rollup's key columns, in its ORDER BY order. */
export const PRODUCT_VISIT_KEY = ['product_id', 'slot', 'anonymous_id', 'province', 'device', 'category_id'] as const;

/** The summed columns (name, the other value column, is max-ed). */
export const PRODUCT_VISIT_SUMS = ['views', 'cart_adds', 'favorites', 'paid_orders', 'units', 'gmv'] as const;

/** Product events the rollup counts. */
const PRODUCT_VISIT_TYPES = ['product_view', 'cart_add', 'favorite_add'] as const;

const GROUP_BY = `GROUP BY ${PRODUCT_VISIT_KEY.join(', ')}`;
const and = (conditions: readonly string[]) => conditions.map((c) => `\n      AND ${c}`).join('');

/**
 * Rows with the rollup's key (in PRODUCT_VISIT_KEY's order: a UNION ALL
 * with the table's rows matches columns by position), name and sums, grouped from `events` (not
 * merged across the two branches: aggregate them). Extra conditions apply
 * to the product events (columns of `events`) and to the paid items (after
 * the ARRAY JOIN: item_product_id, category_id — the item's — and the
 * event's columns).
 */
export function productVisitsFromEvents(where: { events: readonly string[]; items: readonly string[] }): string {
  return `
    SELECT product_id, toStartOfFifteenMinutes(ts) AS slot, anonymous_id, geo_province AS province, ua_device AS device,
           product_category_id AS category_id, max(product_name) AS name,
           countIf(type = 'product_view') AS views, countIf(type = 'cart_add') AS cart_adds, countIf(type = 'favorite_add') AS favorites,
           toUInt32(0) AS paid_orders, toUInt64(0) AS units, toDecimal128(0, 2) AS gmv
    FROM events
    WHERE type IN (${PRODUCT_VISIT_TYPES.map((t) => `'${t}'`).join(', ')}) AND product_id != ''${and(where.events)}
    ${GROUP_BY}
    UNION ALL
    SELECT item_product_id AS product_id, toStartOfFifteenMinutes(ts) AS slot, anonymous_id, geo_province AS province, ua_device AS device,
           order_item_category_ids[item_index] AS category_id, '' AS name,
           toUInt32(0) AS views, toUInt32(0) AS cart_adds, toUInt32(0) AS favorites,
           countIf(item_occurrence = 1) AS paid_orders, toUInt64(sum(item_quantity)) AS units, toDecimal128(sum(item_price * item_quantity), 2) AS gmv
    FROM events
    ARRAY JOIN
      order_item_product_ids AS item_product_id, order_item_prices AS item_price, order_item_quantities AS item_quantity,
      arrayEnumerate(order_item_product_ids) AS item_index, arrayEnumerateUniq(order_item_product_ids) AS item_occurrence
    WHERE type = 'order_pay'${and(where.items)}
    ${GROUP_BY}`;
}
