// Who an event belongs to. A user is their user_id; a visitor who never
// identified is their anonymous_id. A visitor who did identify brings their
// anonymous events along: an event without user_id belongs to the user_id its
// anonymous_id carried last (argMax by ts), so the browsing before a login
// counts for the user who then bought. Every segments query reads `events`
// through this one fragment.

/** The stitched user of an events row `e` joined with the identities `i`. */
const USER_KEY_SQL = "if(e.user_id != '', e.user_id, if(i.identified_as != '', i.identified_as, e.anonymous_id))";

/**
 * `events` as a subquery with a `user_key` column added, holding `columns`
 * (plain column names of `events`) and filtered by `where` (conditions on the
 * events' own columns, written with the `e.` prefix). Without a match in the
 * join, `identified_as` is '' (join_use_nulls is off).
 */
export function stitchedEvents(columns: readonly string[], where = '1'): string {
  const selected = columns.map((c) => `e.${c} AS ${c}`).join(', ');
  return `(
    SELECT ${USER_KEY_SQL} AS user_key, ${selected}
    FROM events AS e
    LEFT JOIN
    (
      SELECT anonymous_id, argMax(user_id, ts) AS identified_as
      FROM events
      WHERE user_id != ''
      GROUP BY anonymous_id
    ) AS i ON e.anonymous_id = i.anonymous_id
    WHERE ${where}
  )`;
}
