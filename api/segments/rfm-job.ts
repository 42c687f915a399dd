// Job `rfm`: scores every user with a paid order in the window, as of the run
// time, into rfm_scores — entirely inside ClickHouse (INSERT … SELECT).
import type { Job } from '../jobs/job-runner.ts';
import { buildRfmSelect, RFM_COLUMNS } from '../queries/segments/rfm-scores.ts';
import { countRunRows, dropOldRuns, recordRun } from './segment-runs.ts';

export interface RfmJobOptions {
  /** orders of the last windowDays before the run; undefined = all history */
  windowDays?: number;
}

export function createRfmJob(options: RfmJobOptions = {}): Job {
  return {
    name: 'rfm',
    description: 'RFM scores (1–5 by quintile) and the eight segments per user, into rfm_scores',
    async run({ clickhouse, computedAt, log }) {
      const window = { asOfMs: computedAt, ...(options.windowDays !== undefined ? { windowDays: options.windowDays } : {}) };
      const select = buildRfmSelect(window);
      await clickhouse.command({
        query: `
INSERT INTO rfm_scores (computed_at, ${RFM_COLUMNS.join(', ')})
SELECT fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC'), ${RFM_COLUMNS.join(', ')}
FROM (${select.query})`,
        query_params: { ...select.query_params, computed_at_ms: computedAt },
      });
      const users = await countRunRows(clickhouse, 'rfm_scores', computedAt);
      log.info({ users }, 'rfm scores written');
      await recordRun(clickhouse, {
        job: 'rfm',
        computedAt,
        asOfMs: window.asOfMs,
        windowDays: options.windowDays,
        users,
        details: { score: 'quintile of percent rank, ties share the lowest rank', high: 'score above the mean score' },
      });
      const dropped = await dropOldRuns(clickhouse, 'rfm');
      if (dropped > 0) log.info({ dropped }, 'dropped old rfm runs');
      return { rows: users };
    },
  };
}
