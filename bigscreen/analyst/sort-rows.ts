// Table sorting (pure): numbers by value, text with a collator that orders
// embedded numbers naturally (p-2 before p-10); empty values (null, undefined,
// '', NaN) always last, whichever the direction. Stable: equal rows keep their order.

export type SortDirection = 'asc' | 'desc';

const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

export function compareValues(a: unknown, b: unknown): number {
  const emptyA = isEmpty(a);
  const emptyB = isEmpty(b);
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  // Numbers before text when a column mixes them.
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return collator.compare(text(a), text(b));
}

/** A sorted copy of rows; `value` picks what to sort by. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => unknown, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((x, y) => {
      const emptyX = isEmpty(x.v);
      const emptyY = isEmpty(y.v);
      if (emptyX !== emptyY) return emptyX ? 1 : -1;
      return sign * compareValues(x.v, y.v) || x.index - y.index;
    })
    .map((x) => x.row);
}

/** Header click: a new column starts with `firstDirection`; the same column flips. */
export function nextSort(
  current: { key: string; direction: SortDirection } | null,
  key: string,
  firstDirection: SortDirection,
): { key: string; direction: SortDirection } {
  if (current?.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: firstDirection };
}
