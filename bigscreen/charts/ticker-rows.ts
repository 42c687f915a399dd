import type { TickerOrder } from '../../api/wire/live-snapshot.ts';
import { formatYuanCompact, type Lang } from './compact-format.ts';
import { formatClockTime } from './format.ts';
import { t } from './i18n.ts';
import { provinceLabel } from './province-map.ts';

export interface TickerRow {
  id: string;
  time: string;
  user: string;
  province: string;
  items: string;
  amount: string;
  /** the order came from an import (properties.source), e.g. "imported · taobao" */
  note: string;
}

/** Text of each ticker line; the view puts it in fixed rows with textContent only. */
export function tickerRows(orders: TickerOrder[], timeZone: string, lang: Lang): TickerRow[] {
  return orders.map((o) => ({
    id: `${o.order_id}|${o.ts}`,
    time: formatClockTime(o.ts, timeZone),
    user: o.user,
    province: o.province ? provinceLabel(lang, o.province) : '—',
    items: `×${o.items}`,
    amount: formatYuanCompact(o.amount, lang, 1e6),
    note: o.source ? `${t(lang, 'ticker.imported')} · ${o.source}` : '',
  }));
}
