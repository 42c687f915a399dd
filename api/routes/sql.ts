// POST /api/sql: one read-only ad-hoc query for analysts.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { isClickHouseError } from '../../infra/clickhouse/errors.ts';
import { isCancelled, limitExceeded, type Workloads } from '../../infra/clickhouse/workload.ts';
import { isSingleStatement } from '../sql/single-statement.ts';

export interface SqlRouteOptions {
  /** Each query runs in the analyst class on a connection of its own (readonly=1 stays on a chDB connection). */
  workloads: Workloads;
  maxResultRows: number;
}

const Body = Type.Object({ sql: Type.String({ minLength: 1, maxLength: 100_000 }) }, { additionalProperties: false });

export const sqlRoute: FastifyPluginAsync<SqlRouteOptions> = async (app, opts) => {
  app.post<{ Body: Static<typeof Body> }>('/sql', { schema: { body: Body } }, async (request, reply) => {
    const { sql } = request.body;
    if (!isSingleStatement(sql)) return reply.code(400).send({ error: 'one statement per request' });
    const started = Date.now();
    try {
      const rows = await opts.workloads.isolatedQuery<Record<string, unknown>>({
        query: sql.trim().replace(/;\s*$/, ''),
        // Order matters: under readonly=1 ClickHouse refuses settings that come
        // after it (the class's limits come first). readonly=1 (not 2) also
        // blocks table functions such as file('/etc/passwd') and a SETTINGS
        // clause that would lift a limit.
        clickhouse_settings: {
          max_result_rows: String(opts.maxResultRows),
          result_overflow_mode: 'throw',
          output_format_json_quote_64bit_integers: 0,
          readonly: '1',
        },
      });
      request.log.info({ rows: rows.length, ms: Date.now() - started }, 'ad-hoc query');
      return { rows };
    } catch (err) {
      // Over a limit, busy, cancelled: the API's error handler answers those.
      if (isClickHouseError(err) && !limitExceeded(err) && !isCancelled(err)) {
        return reply.code(400).send({ error: err.message.trim(), code: err.type ?? err.code });
      }
      throw err;
    }
  });
};
