// Where RFM rows are read from: a stored run of the rfm job (rfm_scores at one
// computed_at), or the same SELECT the job runs, live, for another as-of or window.
import type { QueryParams } from '../analysis/filters.ts';
import { buildRfmSelect, type RfmWindow } from './rfm-scores.ts';

export type RfmSource = { kind: 'run'; computedAt: number } | { kind: 'live'; window: RfmWindow };

/** A parenthesised subquery with the RFM_COLUMNS, and its bound parameters. */
export function rfmSourceSql(source: RfmSource): { sql: string; params: QueryParams } {
  if (source.kind === 'run') {
    return {
      sql: "(SELECT * FROM rfm_scores WHERE computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC'))",
      params: { computed_at_ms: source.computedAt },
    };
  }
  const select = buildRfmSelect(source.window);
  return { sql: `(${select.query})`, params: select.query_params };
}
