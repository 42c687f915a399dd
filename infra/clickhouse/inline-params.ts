// Bound parameters written into the SQL as typed literals, for the embedded
// engine only. chdb-node runs every parameterized query of the process one
// after another, across all connections (a race in libchdb's parameter state,
// see node_modules/chdb/index.js `globalParamChain`;
// https://github.com/chdb-io/chdb-node/pull/51): one long analyst query
// with parameters would hold up every wall and ingestion query that has
// any. A query without parameters runs beside the others, so the values go
// into the text: each placeholder {name:Type} becomes CAST(<literal> AS Type),
// the literal formatted by @clickhouse/client's own formatter, so it reads as
// the value the server would have bound. Only SELECTs: DDL such as
// DROP PARTITION {p:DateTime64(3)} needs a literal, not a CAST, and keeps the
// bound path.
import { formatQueryParams } from '@clickhouse/client-common';

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;

/** The SQL with its placeholders replaced, or undefined when one has no value (then the bound path says so). */
export function inlineQueryParams(sql: string, params: Readonly<Record<string, unknown>>): string | undefined {
  let missing = false;
  const out = sql.replace(PLACEHOLDER, (whole, name: string, type: string) => {
    if (!Object.hasOwn(params, name)) {
      missing = true;
      return whole;
    }
    const literal = formatQueryParams({ value: params[name], wrapStringInQuotes: true, printNullAsKeyword: true });
    return `CAST(${literal} AS ${type})`;
  });
  return missing ? undefined : out;
}
