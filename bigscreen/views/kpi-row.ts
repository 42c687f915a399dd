import type { LiveSnapshot } from '../../api/live/snapshot.ts';
import { toKpiCards, type KpiCard } from '../charts/kpi-cards.ts';

// Values longer than this many characters get a smaller font so that
// "¥12,345,678.90" or "12,345,678" still fit their card.
const LONG_VALUE_CHARS = { hero: 13, card: 9 } as const;

function createCard(card: KpiCard, variant: 'hero' | 'card'): { root: HTMLElement; value: HTMLElement } {
  const root = document.createElement('div');
  root.className = `kpi kpi-${variant}`;
  root.dataset.kpiCard = card.key;
  const label = document.createElement('div');
  label.className = 'kpi-label';
  label.textContent = card.label;
  const sub = document.createElement('span');
  sub.className = 'kpi-sub';
  sub.textContent = card.subLabel;
  label.append(sub);
  // data-kpi sits on the value element alone: its textContent is exactly
  // the formatted value (the end-to-end test reads it).
  const value = document.createElement('div');
  value.className = 'kpi-value';
  value.dataset.kpi = card.key;
  value.textContent = card.value;
  root.append(label, value);
  return { root, value };
}

/** Builds the KPI cards (GMV in `heroEl`, the rest in `gridEl`); returns the updater. */
export function createKpiRow(heroEl: HTMLElement, gridEl: HTMLElement): (snapshot: LiveSnapshot | null) => void {
  const valueEls = new Map<string, { el: HTMLElement; variant: 'hero' | 'card' }>();
  for (const card of toKpiCards(null)) {
    const variant = card.key === 'gmv' ? 'hero' : 'card';
    const { root, value } = createCard(card, variant);
    (variant === 'hero' ? heroEl : gridEl).append(root);
    valueEls.set(card.key, { el: value, variant });
  }
  return function updateKpiRow(snapshot) {
    for (const card of toKpiCards(snapshot)) {
      const entry = valueEls.get(card.key);
      // Touch the DOM only on change: most counters are steady between ticks.
      if (!entry || entry.el.textContent === card.value) continue;
      entry.el.textContent = card.value;
      entry.el.classList.toggle('is-long', card.value.length > LONG_VALUE_CHARS[entry.variant]);
    }
  };
}
