// The traffic columns of `events` (migration 0017) as the tuples the
// aggregates keep, written once for the repair statements and the queries
// (the migrations' views spell the same tuples; the aggregate-repair test
// compares each view's table with its own SELECT over `events`).

/** A session's traffic, as sessions_agg.traffic holds it (argMin by ts): channel, source, medium, campaign, term, content. */
export const SESSION_TRAFFIC_SQL = 'tuple(toString(channel), toString(source), toString(medium), campaign, term, content)';

/** The fields of a touch, in the order of its tuple. */
export const TOUCH_FIELDS = ['channel', 'source', 'medium', 'campaign'] as const;
export type TouchField = (typeof TOUCH_FIELDS)[number];

/** A touch as visitors_agg.first_traffic holds it (migration 0018) and attribution credits it: the LowCardinality columns as String. */
export const TOUCH_SQL = 'tuple(toString(channel), toString(source), toString(medium), campaign)';

/** The 1-based position of a field in a touch tuple, for tupleElement(). */
export const touchIndex = (field: TouchField): number => TOUCH_FIELDS.indexOf(field) + 1;
