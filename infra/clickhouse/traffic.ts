// The traffic columns of `events` (migration 0017) as the tuples the
// aggregates keep, written once for the repair statements and the queries
// (the migrations' views spell the same tuples; the aggregate-repair test
// compares each view's table with its own SELECT over `events`).

/** A session's traffic, as sessions_agg.traffic holds it (argMin by ts): channel, source, medium, campaign, term, content. */
export const SESSION_TRAFFIC_SQL = 'tuple(toString(channel), toString(source), toString(medium), campaign, term, content)';

/** A touch — channel, source, medium, campaign — as visitors_agg.first_traffic holds it (migration 0018) and attribution credits it. */
export const TOUCH_SQL = 'tuple(toString(channel), toString(source), toString(medium), campaign)';
