// What every analyst page gets from the shell (main.ts), and the building
// blocks they share: panels, loading states, errors, job-run buttons.
import type { ApiClient } from '../api-client.ts';
import { ApiError } from '../api-client.ts';
import type { JobStatus } from '../api-types.ts';
import type { FilterScope, Filters } from '../filters.ts';
import type { RouteId } from '../routes.ts';
import { bi, button, errorBox, h, setState, type Child } from '../views/dom.ts';

export interface PageContext {
  api: ApiClient;
  filters: Filters;
  /** the route's parameters from the URL fragment (filters included) */
  params: URLSearchParams;
  /** aborted when the page is left or re-rendered */
  signal: AbortSignal;
  /** memory of this page kept across re-renders (a filter change re-renders) */
  memory: Record<string, unknown>;
  onDispose(fn: () => void): void;
  navigate(route: RouteId, params?: Record<string, string>): void;
  /** the API's TIME_ZONE once an answer told it (timeseries, retention, profiles) */
  timeZone(): string | undefined;
  learnTimeZone(timeZone: string): void;
  /** a 401 anywhere signs out with the API's message */
  signOut(message: string): void;
}

export interface Page {
  id: RouteId;
  /** which filters apply: all, the time range only, or none (job results, SQL) */
  scope: FilterScope | 'none';
  render(root: HTMLElement, ctx: PageContext): void;
}

export function panel(zh: string, en: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, bi(zh, en)), ...children);
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

/**
 * Runs one load into `target`: data-state loading → ready (or error with the
 * message shown as text). `work` builds into `out`, which is put in `target`
 * only if no newer load of the same target started meanwhile (a slow answer
 * never overwrites a newer one). A 401 signs out; an abort (page left) is silent.
 */
export async function load(target: HTMLElement, ctx: PageContext, work: (out: DocumentFragment) => Promise<void>): Promise<void> {
  const generation = String(Number(target.dataset.generation ?? '0') + 1);
  target.dataset.generation = generation;
  const current = () => target.dataset.generation === generation && !ctx.signal.aborted;
  setState(target, 'loading');
  const out = document.createDocumentFragment();
  try {
    await work(out);
    if (!current()) return;
    target.append(out);
    setState(target, 'ready');
  } catch (err) {
    if (isAbort(err) || !current()) return;
    if (err instanceof ApiError && err.unauthorized) {
      ctx.signOut(err.message);
      return;
    }
    setState(target, 'error');
    target.append(errorBox(`请求失败 Request failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

/** The answer of an endpoint that says 404 before its job first ran, or null. */
export async function getOrNoRun<T>(ctx: PageContext, path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T | null> {
  try {
    return await ctx.api.get<T>(path, query, ctx.signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** "Not computed yet" with a button that runs the job(s) now and then calls done. */
export function noRunNotice(ctx: PageContext, jobs: string[], done: () => void): HTMLElement {
  const status = h('span', { class: 'muted' });
  const run = button(bi('立即计算', `Run ${jobs.join(' + ')} now`), () => {
    run.disabled = true;
    status.textContent = '计算中 Running…';
    void (async () => {
      try {
        for (const job of jobs) {
          const { job: result } = await ctx.api.post<{ job: JobStatus }>(`/api/jobs/${encodeURIComponent(job)}/run`, undefined, ctx.signal);
          if (result.last_error) throw new Error(`${job}: ${result.last_error}`);
        }
        done();
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.unauthorized) return ctx.signOut(err.message);
        run.disabled = false;
        status.textContent = `失败 Failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    })();
  }, 'btn btn-primary', { 'data-action': 'run-job' });
  return h(
    'div',
    { class: 'notice', data: { notice: 'no-run' } },
    h('p', null, `尚未计算 Not computed yet: the ${jobs.join(' and ')} job has not run (it runs every JOBS_INTERVAL_MS, or on demand).`),
    run,
    ' ',
    status,
  );
}

/** A row of label/value cards. */
export function statCards(items: ReadonlyArray<{ key: string; zh: string; en: string; value: string }>): HTMLElement {
  return h(
    'div',
    { class: 'stat-cards' },
    ...items.map((i) => h('div', { class: 'stat', data: { stat: i.key } }, h('div', { class: 'stat-label' }, bi(i.zh, i.en)), h('div', { class: 'stat-value' }, i.value))),
  );
}

/** A clickable id (product or user) that opens another page. */
export function linkButton(text: string, onClick: () => void, kind: string): HTMLButtonElement {
  const el = button(text, onClick, 'link', { 'data-link': kind });
  el.addEventListener('click', (e) => e.stopPropagation());
  return el;
}
