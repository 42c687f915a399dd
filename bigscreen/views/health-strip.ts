import type { PipelineHealth } from '../../api/wire/live-snapshot.ts';
import type { Lang } from '../charts/compact-format.ts';
import { healthItems } from '../charts/health-items.ts';

/** The pipeline-health strip: five fixed items whose text and data-level change. */
export function createHealthStrip(container: HTMLElement): (pipeline: PipelineHealth, lang: Lang) => void {
  const items = new Map<string, { root: HTMLElement; label: HTMLElement; value: HTMLElement }>();
  return function updateHealth(pipeline, lang) {
    for (const item of healthItems(pipeline, lang)) {
      let el = items.get(item.key);
      if (!el) {
        const root = document.createElement('div');
        root.className = 'health-item';
        root.dataset.health = item.key;
        const label = document.createElement('span');
        label.className = 'health-label';
        const value = document.createElement('b');
        value.className = 'health-value';
        root.append(label, value);
        container.append(root);
        el = { root, label, value };
        items.set(item.key, el);
      }
      if (el.label.textContent !== item.label) el.label.textContent = item.label;
      if (el.value.textContent !== item.value) el.value.textContent = item.value;
      el.root.dataset.level = item.level;
    }
  };
}
