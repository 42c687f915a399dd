// Hash routes of the analyst pages (#/funnel?range=7d): the part after "#/" up
// to "?" names the page, the rest holds its filters. Fragments never reach the
// server, and the token is never put in them.

export const ROUTES = [
  { id: 'overview', zh: '概览', en: 'Overview' },
  { id: 'funnel', zh: '漏斗', en: 'Funnel' },
  { id: 'sources', zh: '来源', en: 'Sources' },
  { id: 'retention', zh: '留存', en: 'Retention' },
  { id: 'segments', zh: 'RFM 分群', en: 'Segments' },
  { id: 'clusters', zh: '聚类', en: 'Clusters' },
  { id: 'recommendations', zh: '推荐', en: 'Recommendations' },
  { id: 'rules', zh: '关联规则', en: 'Rules' },
  { id: 'sql', zh: 'SQL 控制台', en: 'SQL console' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export interface Location {
  route: RouteId;
  params: URLSearchParams;
}

const isRoute = (id: string): id is RouteId => ROUTES.some((r) => r.id === id);

/** '#/funnel?range=7d' → funnel + range=7d; anything unknown → overview. */
export function parseHash(hash: string): Location {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q === -1 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params = new URLSearchParams(q === -1 ? '' : body.slice(q + 1));
  return { route: isRoute(path) ? path : 'overview', params };
}

export function formatHash(route: RouteId, params: URLSearchParams = new URLSearchParams()): string {
  const query = params.toString();
  return `#/${route}${query === '' ? '' : `?${query}`}`;
}
