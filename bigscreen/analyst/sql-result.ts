// Shapes of the SQL console (pure): the columns of a JSONEachRow result, and
// the schema list grouped by table. /api/sql answers rows as objects whose
// keys are in SELECT order; a column that is absent from the first row (never
// with ClickHouse, but cheap to handle) is appended where first seen.

export function resultColumns(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}


export interface SchemaTable {
  table: string;
  columns: Array<{ name: string; type: string }>;
}

/** Query for the schema beside the console: every column of the current database, in table order. */
export const SCHEMA_SQL =
  'SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, position';

/** system.columns rows → tables with their columns, tables by name, columns in the order given. */
export function groupSchema(rows: readonly Record<string, unknown>[]): SchemaTable[] {
  const tables = new Map<string, SchemaTable>();
  for (const row of rows) {
    const table = String(row.table ?? '');
    const entry = tables.get(table) ?? { table, columns: [] };
    entry.columns.push({ name: String(row.name ?? ''), type: String(row.type ?? '') });
    tables.set(table, entry);
  }
  return [...tables.values()].sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
}

/** An identifier as ClickHouse reads it: bare when plain, else in backquotes. */
export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/** The query a click on a table name puts in the editor. */
export function previewSql(table: string, limit = 100): string {
  return `SELECT *\nFROM ${quoteIdentifier(table)}\nLIMIT ${limit}`;
}
