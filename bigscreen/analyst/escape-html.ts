// ECharts renders a tooltip formatter's string as HTML. Every text from data
// (product ids, categories, segment labels, cohort dates) goes through
// escapeHtml before it reaches a tooltip.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Tooltip lines: `[label, value]` pairs, both escaped, joined with <br/>. */
export function tooltipLines(title: unknown, lines: ReadonlyArray<readonly [unknown, unknown]>): string {
  const head = `<b>${escapeHtml(title)}</b>`;
  return [head, ...lines.map(([label, value]) => `${escapeHtml(label)}: ${escapeHtml(value)}`)].join('<br/>');
}
