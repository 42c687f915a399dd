// SQL console: one read-only statement through POST /api/sql (readonly=1 and
// the server's time and row limits), the result as a table, CSV export of the
// whole result, and the schema of the database beside it.
import type { SqlReply } from '../api-types.ts';
import { csvFileName, toCsv } from '../csv.ts';
import { formatCount } from '../format.ts';
import { groupSchema, previewSql, resultColumns, SCHEMA_SQL } from '../sql-result.ts';
import { dataTable } from '../views/data-table.ts';
import { bi, button, downloadText, h } from '../views/dom.ts';
import { load, panel, type Page } from './page.ts';

/** Rows drawn in the page; the CSV holds the whole result (up to SQL_MAX_RESULT_ROWS). */
const MAX_SHOWN_ROWS = 1000;

const DEFAULT_SQL = `SELECT type, count() AS events, uniqExact(anonymous_id) AS visitors
FROM events
GROUP BY type
ORDER BY events DESC`;

interface SqlMemory {
  sql: string;
}

export const sqlPage: Page = {
  id: 'sql',
  scope: 'none',
  render(root, ctx) {
    const memory = ((ctx.memory.sql as SqlMemory | undefined) ??= { sql: DEFAULT_SQL });
    const editor = h('textarea', { class: 'sql-editor', attrs: { spellcheck: 'false', 'data-field': 'sql', rows: '9', 'aria-label': 'SQL' } });
    editor.value = memory.sql;
    const status = h('span', { class: 'muted', data: { section: 'sql-status' } });
    const result = h('div', { data: { section: 'sql-result' } });
    const schema = h('div', { class: 'schema', data: { section: 'schema' } });
    let lastRows: Record<string, unknown>[] = [];
    let lastColumns: string[] = [];

    const csvButton = button(bi('导出 CSV', 'Export CSV'), () => {
      downloadText(csvFileName(memory.sql.split('\n')[0] ?? 'query', Date.now()), `\uFEFF${toCsv(lastColumns, lastRows)}`, 'text/csv;charset=utf-8');
    }, 'btn', { 'data-action': 'sql-csv', disabled: '' });

    function run(): void {
      memory.sql = editor.value;
      const sql = editor.value.trim();
      if (sql === '') return;
      result.replaceChildren();
      csvButton.disabled = true;
      status.textContent = '运行中 Running…';
      const started = performance.now();
      void load(result, ctx, async (out) => {
        try {
          const reply = await ctx.api.post<SqlReply>('/api/sql', { sql }, ctx.signal);
          const ms = Math.round(performance.now() - started);
          lastRows = reply.rows;
          lastColumns = resultColumns(reply.rows);
          status.textContent = `${formatCount(reply.rows.length)} 行 rows · ${formatCount(ms)} ms`;
          csvButton.disabled = reply.rows.length === 0;
          out.append(
            dataTable<Record<string, unknown>>({
              name: 'sql-result',
              rows: reply.rows,
              maxRows: MAX_SHOWN_ROWS,
              empty: '查询没有返回行 The query returned no rows',
              columns: lastColumns.map((c) => ({ key: c, label: c, value: (row) => row[c], numeric: typeof reply.rows[0]?.[c] === 'number' })),
            }).element,
          );
        } catch (err) {
          status.textContent = '';
          throw err;
        }
      });
    }

    function showSchema(): void {
      void load(schema, ctx, async (out) => {
        const reply = await ctx.api.post<SqlReply>('/api/sql', { sql: SCHEMA_SQL }, ctx.signal);
        const tables = groupSchema(reply.rows);
        out.append(
          h('p', { class: 'muted' }, `${tables.length} 张表 tables · 点击表名生成查询 click a name to query it`),
          ...tables.map((t) =>
            h(
              'details',
              { class: 'schema-table', data: { schemaTable: t.table } },
              h(
                'summary',
                null,
                button(t.table, () => {
                  editor.value = previewSql(t.table);
                  editor.focus();
                }, 'link mono'),
                h('span', { class: 'muted' }, ` ${t.columns.length}`),
              ),
              h('ul', null, ...t.columns.map((c) => h('li', null, h('span', { class: 'mono' }, c.name), ' ', h('span', { class: 'col-type' }, c.type)))),
            ),
          ),
        );
      });
    }

    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });

    root.append(
      h(
        'div',
        { class: 'sql-layout' },
        h(
          'div',
          { class: 'sql-main' },
          panel(
            'SQL 控制台',
            'SQL console',
            h('p', { class: 'muted' }, '只读，一次一条语句；服务器限制执行时间与行数 Read-only, one statement; the server limits time and rows (WORKLOAD_ANALYST_*, SQL_MAX_RESULT_ROWS). Ctrl+Enter runs.'),
            editor,
            h('div', { class: 'controls' }, button(bi('运行', 'Run'), run, 'btn btn-primary', { 'data-action': 'run-sql' }), csvButton, status),
          ),
          panel('结果', 'Result', result),
        ),
        h('aside', { class: 'sql-side' }, panel('表结构', 'Schema', schema)),
      ),
    );
    showSchema();
  },
};
