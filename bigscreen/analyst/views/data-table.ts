// A sortable table: click a header to sort by it (numbers start descending,
// text ascending; click again to flip). Cells are text. Optional row click
// (drill-down) and CSV export of the rows as they are sorted.
import { csvFileName, toCsv } from '../csv.ts';
import { nextSort, sortRows, type SortDirection } from '../sort-rows.ts';
import { append, button, downloadText, h, type Child } from './dom.ts';

export interface Column<T> {
  key: string;
  label: string;
  /** the sort (and CSV) value */
  value: (row: T) => unknown;
  /** what the cell shows; default String(value) */
  render?: (row: T) => Child;
  numeric?: boolean;
  sortable?: boolean;
}

export interface DataTableOptions<T> {
  /** data-table attribute, for tests and CSS */
  name: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  sort?: { key: string; direction: SortDirection } | null;
  onRowClick?: (row: T) => void;
  /** marks the row as selected (drill-down open) */
  isSelected?: (row: T) => boolean;
  empty?: string;
  /** CSV button with this file stem */
  csvName?: string;
  /** show at most this many rows (the CSV keeps them all) */
  maxRows?: number;
}

export interface DataTable<T> {
  element: HTMLElement;
  /** the rows in their current order */
  rows(): T[];
  sortBy(key: string, direction: SortDirection): void;
}

export function dataTable<T>(options: DataTableOptions<T>): DataTable<T> {
  let sort = options.sort ?? null;
  const tbody = h('tbody');
  const headRow = h('tr');
  const footer = h('div', { class: 'table-foot' });
  const table = h('table', { class: 'data-table', data: { table: options.name } }, h('thead', null, headRow), tbody);
  const element = h('div', { class: 'table-wrap' }, h('div', { class: 'table-scroll' }, table), footer);

  const sorted = (): T[] => {
    if (!sort) return [...options.rows];
    const column = options.columns.find((c) => c.key === sort!.key);
    return column ? sortRows(options.rows, column.value, sort.direction) : [...options.rows];
  };

  function renderHead(): void {
    headRow.replaceChildren(
      ...options.columns.map((c) => {
        const active = sort?.key === c.key;
        const th = h('th', { class: c.numeric ? 'num' : '', data: { col: c.key } }, c.label);
        if (c.sortable !== false) {
          th.classList.add('sortable');
          th.setAttribute('aria-sort', active ? (sort!.direction === 'asc' ? 'ascending' : 'descending') : 'none');
          th.append(h('i', { class: 'sort-mark' }, active ? (sort!.direction === 'asc' ? '▲' : '▼') : '↕'));
          th.addEventListener('click', () => {
            sort = nextSort(sort, c.key, c.numeric ? 'desc' : 'asc');
            render();
          });
        }
        return th;
      }),
    );
  }

  function render(): void {
    renderHead();
    const rows = sorted();
    const shown = options.maxRows === undefined ? rows : rows.slice(0, options.maxRows);
    if (rows.length === 0) {
      tbody.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { attrs: { colspan: String(options.columns.length) } }, options.empty ?? '暂无数据 No data')));
    } else {
      tbody.replaceChildren(
        ...shown.map((row) => {
          const tr = h(
            'tr',
            null,
            ...options.columns.map((c) => h('td', { class: c.numeric ? 'num' : '', data: { col: c.key } }, c.render ? c.render(row) : textOf(c.value(row)))),
          );
          if (options.onRowClick) {
            tr.classList.add('clickable');
            tr.tabIndex = 0;
            tr.addEventListener('click', () => options.onRowClick!(row));
            tr.addEventListener('keydown', (e) => {
              if (e.key === 'Enter') options.onRowClick!(row);
            });
          }
          if (options.isSelected?.(row)) tr.classList.add('selected');
          return tr;
        }),
      );
    }
    const note = shown.length < rows.length ? `显示前 ${shown.length} 行 Showing ${shown.length} of ${rows.length} rows` : `${rows.length} 行 rows`;
    footer.replaceChildren(h('span', { class: 'muted' }, note));
    append(
      footer,
      options.csvName
        ? button('导出 CSV Export', () => {
            const columns = options.columns.map((c) => c.key);
            const records = rows.map((r) => Object.fromEntries(options.columns.map((c) => [c.key, c.value(r)])));
            downloadText(csvFileName(options.csvName!, Date.now()), `\uFEFF${toCsv(columns, records)}`, 'text/csv;charset=utf-8');
          }, 'btn btn-small', { 'data-action': 'csv' })
        : null,
    );
  }

  render();
  return {
    element,
    rows: sorted,
    sortBy(key, direction) {
      sort = { key, direction };
      render();
    },
  };
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
