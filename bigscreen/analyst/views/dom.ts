// A tiny DOM builder. Text always goes in as text nodes (textContent), never
// as markup: nothing here parses HTML, so event data cannot become elements.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  data?: Record<string, string>;
  attrs?: Record<string, string>;
  title?: string;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.title) el.title = props.title;
  for (const [key, value] of Object.entries(props?.data ?? {})) el.dataset[key] = value;
  for (const [key, value] of Object.entries(props?.attrs ?? {})) el.setAttribute(key, value);
  for (const [type, handler] of Object.entries(props?.on ?? {})) el.addEventListener(type, handler as EventListener);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A bilingual label: 中文 with the English beside it, smaller. */
export function bi(zh: string, en: string): HTMLSpanElement {
  return h('span', { class: 'bi' }, zh, h('small', null, en));
}

/** The error box every page shows when a request fails (message as text). */
export function errorBox(message: string): HTMLDivElement {
  return h('div', { class: 'error-box', attrs: { role: 'alert' } }, message);
}

export function setState(el: HTMLElement, state: 'loading' | 'ready' | 'error' | 'empty'): void {
  el.dataset.state = state;
}

/** A labelled form control. */
export function field(label: HTMLElement | string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('small', { class: 'field-hint' }, hint) : null);
}

export function select(options: ReadonlyArray<readonly [value: string, label: string]>, value: string, name?: string): HTMLSelectElement {
  const el = h('select', name ? { data: { field: name } } : null);
  for (const [v, label] of options) el.append(h('option', { attrs: { value: v } }, label));
  el.value = value;
  return el;
}

export function input(type: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const el = h('input', { attrs: { type, ...attrs } });
  el.value = value;
  return el;
}

export function button(label: HTMLElement | string, onClick: () => void, cls = 'btn', attrs: Record<string, string> = {}): HTMLButtonElement {
  return h('button', { class: cls, attrs: { type: 'button', ...attrs }, on: { click: () => onClick() } }, label);
}

/** Saves text as a file through a temporary object URL (no server round trip). */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = h('a', { attrs: { href: url, download: fileName } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
