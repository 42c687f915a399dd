const HEREDOC = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * True when `sql` holds at most one statement: a `;` outside quotes and
 * comments may only be followed by whitespace and comments. chDB, unlike a
 * ClickHouse server over HTTP, runs several statements sent in one query.
 */
export function isSingleStatement(sql: string): boolean {
  let i = 0;
  let sawTerminator = false;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if ((c === '-' && next === '-') || (c === '#' && (next === ' ' || next === '!'))) {
      // `--`, and ClickHouse's MySQL-style `# ` and `#!` line comments.
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '$' && HEREDOC.test(sql.slice(i))) {
      // ClickHouse heredoc strings: $$…$$ and $tag$…$tag$.
      const tag = HEREDOC.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? sql.length : end + tag.length;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
    } else if (c === ';') {
      sawTerminator = true;
      i++;
    } else {
      if (sawTerminator && !/\s/.test(c)) return false;
      i++;
    }
  }
  return true;
}

/** Index just past the closing quote; backslash escapes and doubled quotes stay inside. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return sql.length;
}
