// The analyst pages' shell: sign-in, the nav bar, the filter bar and hash
// routing. Each page renders into #page and is torn down (requests aborted,
// charts disposed) when the route or the filters change.
import { ApiError, createApiClient } from './api-client.ts';
import { filtersFromParams, filtersToParams, type Filters } from './filters.ts';
import { clustersPage } from './pages/clusters.ts';
import { funnelPage } from './pages/funnel.ts';
import { overviewPage } from './pages/overview.ts';
import { sourcesPage } from './pages/sources.ts';
import type { Page, PageContext } from './pages/page.ts';
import { recommendationsPage } from './pages/recommendations.ts';
import { retentionPage } from './pages/retention.ts';
import { rulesPage } from './pages/rules.ts';
import { segmentsPage } from './pages/segments.ts';
import { sqlPage } from './pages/sql.ts';
import { formatHash, parseHash, ROUTES, type RouteId } from './routes.ts';
import { bi, button, h } from './views/dom.ts';
import { createFilterBar } from './views/filter-bar.ts';
import { createSignIn, tokenStore } from './views/sign-in.ts';

const PAGES: Record<RouteId, Page> = {
  overview: overviewPage,
  funnel: funnelPage,
  sources: sourcesPage,
  retention: retentionPage,
  segments: segmentsPage,
  clusters: clustersPage,
  recommendations: recommendationsPage,
  rules: rulesPage,
  sql: sqlPage,
};

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`analyst: #${id} missing from index.html`);
  return el;
}

const app = byId('app');
const pageRoot = byId('page');
const api = createApiClient({ getToken: () => tokenStore.get() });
const memories = new Map<RouteId, Record<string, unknown>>();
let timeZone: string | undefined;
let current: { controller: AbortController; disposers: Array<() => void> } | null = null;

const nav = h(
  'nav',
  { class: 'nav', attrs: { 'aria-label': 'pages' } },
  ...ROUTES.map((r) => h('a', { attrs: { href: formatHash(r.id) }, data: { route: r.id } }, bi(r.zh, r.en))),
);
const signOutButton = button(bi('退出', 'Sign out'), () => signOut(), 'btn btn-small', { 'data-action': 'sign-out' });
byId('nav-slot').append(nav);
byId('user-slot').append(h('a', { class: 'btn btn-small', attrs: { href: '/', target: '_blank', rel: 'noopener' } }, bi('大屏', 'Wall ↗')), signOutButton);

const filterBar = createFilterBar(api, (filters) => {
  const { route, params } = parseHash(window.location.hash);
  // Keep the page's own parameters (e.g. ?product=), replace the filters.
  const next = filtersToParams(filters);
  for (const [key, value] of params) if (!isFilterKey(key)) next.set(key, value);
  navigateTo(route, next);
});
byId('filter-slot').append(filterBar.element);

const signIn = createSignIn(verifyToken, () => {
  showApp();
});
app.before(signIn.element);

function isFilterKey(key: string): boolean {
  return ['range', 'from', 'to', 'category', 'province', 'device', 'visitor'].includes(key);
}

async function verifyToken(token: string): Promise<string | null> {
  // Checked against a cheap authenticated route before it is kept.
  const probe = createApiClient({ getToken: () => token });
  try {
    await probe.get('/api/jobs');
    tokenStore.set(token);
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.unauthorized) return `令牌错误 Wrong token: the API refused it (401 ${err.message}).`;
    return `无法验证 Could not check the token: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function signOut(message?: string): void {
  tokenStore.clear();
  teardown();
  pageRoot.replaceChildren();
  app.hidden = true;
  signIn.show(message);
}

function showApp(): void {
  signIn.hide();
  app.hidden = false;
  renderRoute();
}

function teardown(): void {
  if (!current) return;
  current.controller.abort();
  for (const dispose of current.disposers) dispose();
  current = null;
}

function navigateTo(route: RouteId, params: URLSearchParams): void {
  const hash = formatHash(route, params);
  if (hash === window.location.hash) renderRoute();
  else window.location.hash = hash;
}

function renderRoute(): void {
  if (!tokenStore.get()) return signOut();
  teardown();
  const { route, params } = parseHash(window.location.hash);
  const page = PAGES[route];
  const filters: Filters = filtersFromParams(params);
  for (const link of nav.querySelectorAll<HTMLAnchorElement>('a')) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  filterBar.show(filters, page.scope);
  const controller = new AbortController();
  const disposers: Array<() => void> = [];
  current = { controller, disposers };
  const memory = memories.get(route) ?? {};
  memories.set(route, memory);
  const ctx: PageContext = {
    api,
    filters,
    params,
    signal: controller.signal,
    memory,
    onDispose: (fn) => disposers.push(fn),
    navigate: (to, extra = {}) => {
      // Carry the filters over; the target's own parameters come from `extra`.
      const next = filtersToParams(filters);
      for (const [key, value] of Object.entries(extra)) next.set(key, value);
      navigateTo(to, next);
    },
    timeZone: () => timeZone,
    learnTimeZone: (tz) => {
      timeZone = tz;
    },
    signOut: (message) => signOut(`已退出 Signed out: the API refused the token (${message}).`),
  };
  const root = h('div', { class: 'page', data: { page: route } });
  pageRoot.replaceChildren(root);
  document.title = `${ROUTES.find((r) => r.id === route)?.en ?? route} · ShopPulse Analyst`;
  page.render(root, ctx);
}

window.addEventListener('hashchange', () => {
  if (tokenStore.get()) renderRoute();
});

if (tokenStore.get()) showApp();
else signOut();
