// The live order ticker: a fixed number of rows built once; updates only set
// textContent (order data is never parsed as HTML). A row whose order is new
// since the last update flashes once.
import { TICKER_LENGTH, type TickerOrder } from '../../api/wire/live-snapshot.ts';
import type { Lang } from '../charts/compact-format.ts';
import { t } from '../charts/i18n.ts';
import { tickerRows } from '../charts/ticker-rows.ts';

const FIELDS = ['time', 'user', 'province', 'note', 'items', 'amount'] as const;

export interface Ticker {
  update(orders: TickerOrder[], timeZone: string, lang: Lang): void;
}

export function createTicker(list: HTMLElement, emptyEl: HTMLElement): Ticker {
  const rows = Array.from({ length: TICKER_LENGTH }, () => {
    const row = document.createElement('li');
    row.className = 'ticker-row';
    const cells = Object.fromEntries(
      FIELDS.map((field) => {
        const cell = document.createElement('span');
        cell.className = `ticker-${field}`;
        row.append(cell);
        return [field, cell];
      }),
    ) as Record<(typeof FIELDS)[number], HTMLElement>;
    list.append(row);
    return { row, cells };
  });
  let shownIds = new Set<string>();
  return {
    update(orders, timeZone, lang) {
      const lines = tickerRows(orders, timeZone, lang);
      const ids = new Set(lines.map((l) => l.id));
      rows.forEach(({ row, cells }, i) => {
        const line = lines[i];
        row.hidden = !line;
        if (!line) return;
        for (const field of FIELDS) if (cells[field].textContent !== line[field]) cells[field].textContent = line[field];
        if (row.dataset.orderId !== line.id) {
          row.dataset.orderId = line.id;
          if (shownIds.size > 0 && !shownIds.has(line.id)) {
            row.animate([{ backgroundColor: 'rgba(255, 201, 77, 0.35)' }, { backgroundColor: 'rgba(255, 201, 77, 0)' }], { duration: 1500 });
          }
        }
      });
      shownIds = ids;
      emptyEl.hidden = lines.length > 0;
      emptyEl.textContent = t(lang, 'ticker.empty');
    },
  };
}
