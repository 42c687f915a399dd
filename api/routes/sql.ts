// POST /api/sql: one read-only ad-hoc query for analysts.
import type { ClickHouseClient } from '@clickhouse/client';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { isClickHouseError } from '../../infra/clickhouse/errors.ts';
import { isSingleStatement } from '../sql/single-statement.ts';

export interface SqlRouteOptions {
  /** A client of its own: chDB keeps per-query settings on the connection. */
  readOnlyClient: ClickHouseClient;
  maxExecutionTimeS: number;
  maxResultRows: number;
}

const Body = Type.Object({ sql: Type.String({ minLength: 1, maxLength: 100_000 }) }, { additionalProperties: false });

export const sqlRoute: FastifyPluginAsync<SqlRouteOptions> = async (app, opts) => {
  app.post<{ Body: Static<typeof Body> }>('/sql', { schema: { body: Body } }, async (request, reply) => {
    const { sql } = request.body;
    if (!isSingleStatement(sql)) return reply.code(400).send({ error: 'one statement per request' });
    const started = Date.now();
    try {
      const result = await opts.readOnlyClient.query({
        query: sql.trim().replace(/;\s*$/, ''),
        format: 'JSONEachRow',
        // Order matters: under readonly=1 ClickHouse refuses settings that come
        // after it, so the limits go first. readonly=1 (not 2) also blocks
        // table functions such as file('/etc/passwd').
        clickhouse_settings: {
          max_execution_time: opts.maxExecutionTimeS,
          max_result_rows: String(opts.maxResultRows),
          result_overflow_mode: 'throw',
          output_format_json_quote_64bit_integers: 0,
          readonly: '1',
        },
      });
      const rows = await result.json<Record<string, unknown>>();
      request.log.info({ rows: rows.length, ms: Date.now() - started }, 'ad-hoc query');
      return { rows };
    } catch (err) {
      if (isClickHouseError(err)) {
        return reply.code(400).send({ error: err.message.trim(), code: err.type ?? err.code });
      }
      throw err;
    }
  });
};
