// The visits rollup `visits_15m` (migration 0014) as SQL over rows of
// `events`: the same key and columns its materialized view computes. The
// analysis queries use it for the ragged edges of a range that the rollup's
// 15-minute slots do not cover, the processor's aggregate repair to rebuild
// rows a view missed. Event types come from the caller (the contract's list,
// in its order: bit i of type_bits is its i-th type): infra/ imports no
// service.

/** Length of a slot. Every time zone's offset is a multiple of it. */
export const VISIT_SLOT_MS = 15 * 60_000;

/** The rollup's key columns, in its ORDER BY order. */
export const VISIT_KEY = ['slot', 'anonymous_id', 'session_id', 'province', 'device'] as const;

/** The key as expressions over `events`, `AS` the key's names. */
export const VISIT_KEY_FROM_EVENTS =
  'toStartOfFifteenMinutes(ts) AS slot, anonymous_id, session_id, geo_province AS province, ua_device AS device';

/** The summed columns: every event, one per event type, and the paid money. */
export const visitSumColumns = (types: readonly string[]): string[] => ['events', ...types, 'paid_amount'];

/** Every non-key column: the sums, then the type bits (OR-ed). */
export const visitValueColumns = (types: readonly string[]): string[] => [...visitSumColumns(types), 'type_bits'];

function checked(types: readonly string[]): readonly string[] {
  for (const t of types) if (!/^[a-z_]+$/.test(t)) throw new Error(`not an event type name: ${JSON.stringify(t)}`);
  if (types.length > 16) throw new Error('type_bits is a UInt16: more than 16 event types need a wider column');
  return types;
}

/** The value columns as aggregates over `events` (to GROUP BY VISIT_KEY). */
export function visitValuesFromEvents(types: readonly string[]): string {
  const names = checked(types);
  return [
    'count() AS events',
    ...names.map((t) => `countIf(type = '${t}') AS ${t}`),
    "toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS paid_amount",
    `groupBitOr(toUInt16(bitShiftLeft(toUInt16(1), indexOf([${names.map((t) => `'${t}'`).join(', ')}], type) - 1))) AS type_bits`,
  ].join(', ');
}

/** `type_bits` has an event of `type` (its index in the caller's type list). */
export function visitHadType(types: readonly string[], type: string, bits = 'type_bits'): string {
  const i = checked(types).indexOf(type);
  if (i < 0) throw new Error(`not an event type: ${JSON.stringify(type)}`);
  return `bitTest(${bits}, ${i})`;
}
