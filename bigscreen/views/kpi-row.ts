// The KPI cards with flip-animated characters. Each character of a value is
// a slot; when it changes, the new character slides in and the old one
// (shown by ::before from data-prev) slides out. data-kpi's textContent is
// always exactly the formatted value (the end-to-end test reads it), and
// data-value holds the number behind it.
import type { TodayKpis } from '../../api/wire/live-snapshot.ts';
import type { Lang } from '../charts/compact-format.ts';
import { toKpiCards, type KpiCard } from '../charts/kpi-cards.ts';
import { prefersReducedMotion } from './reduced-motion.ts';

const FLIP_MS = 450;

interface CardElements {
  label: HTMLElement;
  value: HTMLElement;
  /** one <span class="ch"><span class="ch-in">c</span></span> per character */
  slots: HTMLElement[];
}

function createSlot(ch: string): HTMLElement {
  const slot = document.createElement('span');
  slot.className = 'ch';
  const inner = document.createElement('span');
  inner.className = 'ch-in';
  inner.textContent = ch;
  slot.append(inner);
  return slot;
}

function flip(slot: HTMLElement, previous: string): void {
  slot.dataset.prev = previous;
  if (prefersReducedMotion()) return;
  const easing = 'cubic-bezier(0.2, 0.7, 0.2, 1)';
  slot.firstElementChild?.animate(
    [
      { transform: 'translateY(100%)', opacity: 0 },
      { transform: 'translateY(0)', opacity: 1 },
    ],
    { duration: FLIP_MS, easing },
  );
  slot.animate(
    [
      { transform: 'translateY(0)', opacity: 1 },
      { transform: 'translateY(-100%)', opacity: 0 },
    ],
    { duration: FLIP_MS, easing, pseudoElement: '::before' },
  );
}

/** Shows `text` in the slots, flipping only the characters that changed. Rebuilds when the length changes (bounded by the value's length). */
function setValue(card: CardElements, text: string): void {
  const chars = Array.from(text);
  if (chars.length !== card.slots.length) {
    card.slots = chars.map(createSlot);
    card.value.replaceChildren(...card.slots);
    return;
  }
  chars.forEach((ch, i) => {
    const slot = card.slots[i];
    const inner = slot?.firstElementChild;
    if (!slot || !inner || inner.textContent === ch) return;
    const previous = inner.textContent ?? '';
    inner.textContent = ch;
    flip(slot, previous);
  });
}

export interface KpiRow {
  update(today: TodayKpis | null, lang: Lang): void;
}

/** Builds the eight cards in `container` once; `update` changes only text. */
export function createKpiRow(container: HTMLElement): KpiRow {
  const cards = new Map<string, CardElements>();
  for (const card of toKpiCards(null, 'zh')) {
    const root = document.createElement('div');
    root.className = `kpi${card.key === 'gmv' ? ' kpi-hero' : ''}`;
    root.dataset.kpiCard = card.key;
    const label = document.createElement('div');
    label.className = 'kpi-label';
    const value = document.createElement('div');
    value.className = 'kpi-value';
    value.dataset.kpi = card.key;
    root.append(label, value);
    container.append(root);
    cards.set(card.key, { label, value, slots: [] });
  }
  return {
    update(today, lang) {
      for (const card of toKpiCards(today, lang)) {
        const el = cards.get(card.key);
        if (!el) continue;
        if (el.label.textContent !== card.label) el.label.textContent = card.label;
        setValue(el, card.value);
        setRaw(el.value, card);
      }
    },
  };
}

function setRaw(el: HTMLElement, card: KpiCard): void {
  const raw = card.raw === null ? '' : String(card.raw);
  if (el.dataset.value !== raw) el.dataset.value = raw;
}
