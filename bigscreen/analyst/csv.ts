// CSV export of a result table (RFC 4180: comma-separated, CRLF line ends,
// fields with a comma, quote or line break quoted, quotes doubled). Cells that
// a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a
// leading apostrophe, so event data cannot turn into a formula when the file
// is opened in Excel or LibreOffice (OWASP "CSV injection"). Numbers, and
// strings that are plain numbers such as "-12.5", are left as they are.

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One cell as text: null/undefined empty, objects and arrays as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function csvField(value: unknown): string {
  let text = cellText(value);
  if (typeof value !== 'number' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, in `columns` order; every line ends with CRLF. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A safe file name stem from a query or page name: letters, digits, - and _ only. */
export function csvFileName(stem: string, nowMs: number): string {
  const clean = stem.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'result';
  const stamp = new Date(nowMs).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${clean}-${stamp}.csv`;
}
