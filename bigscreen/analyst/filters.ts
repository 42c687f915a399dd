import { VISITOR_KINDS } from '../../api/wire/params.ts';
import { CHANNELS } from '../../collector/contract/traffic-sources.ts';
// The analyst filters (time range, category, province, device, new/returning
// visitors, channel, source, campaign) and the query strings built from them (pure). Relative ranges
// ("last 24 h") are turned into epoch ms when a request is made, so a page
// reloaded later still means "the last 24 h". Custom bounds are sent as typed
// (YYYY-MM-DDTHH:mm): the API reads a time without offset in its TIME_ZONE.

export const TIME_RANGES = ['all', '1h', '24h', '7d', '30d', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
export const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export type VisitorKind = (typeof VISITOR_KINDS)[number];

export interface Filters {
  range: TimeRange;
  /** custom range only: YYYY-MM-DD or YYYY-MM-DDTHH:mm, read in the API's TIME_ZONE */
  from: string;
  to: string;
  category: string;
  province: string;
  device: string;
  visitor: VisitorKind;
  /** the traffic of the events' sessions (README "Traffic sources"): a channel of the contract, a source, a utm_campaign */
  channel: string;
  source: string;
  campaign: string;
}

export const DEFAULT_FILTERS: Readonly<Filters> = Object.freeze({
  range: 'all',
  from: '',
  to: '',
  category: '',
  province: '',
  device: '',
  visitor: 'all',
  channel: '',
  source: '',
  campaign: '',
});

const HOUR_MS = 3_600_000;
const RANGE_MS: Record<Exclude<TimeRange, 'all' | 'custom'>, number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;

/** What a page's API accepts: every filter, or the time range alone (retention). */
export type FilterScope = 'all' | 'time';

export type QueryValue = string | number | boolean | undefined | null;

/** `from`/`to` of the range: epoch ms for relative ranges, the typed text for a custom one. */
function timeParams(filters: Filters, nowMs: number): { from?: string; to?: string } {
  if (filters.range === 'all') return {};
  if (filters.range === 'custom') {
    return {
      ...(LOCAL_TIME.test(filters.from) ? { from: filters.from } : {}),
      ...(LOCAL_TIME.test(filters.to) ? { to: filters.to } : {}),
    };
  }
  return { from: String(nowMs - RANGE_MS[filters.range]) };
}

/** The API parameters of the filters a page uses; empty filters are left out. */
export function filterParams(filters: Filters, nowMs: number, scope: FilterScope = 'all'): Record<string, string> {
  const params: Record<string, string> = { ...timeParams(filters, nowMs) };
  if (scope === 'time') return params;
  for (const key of ['category', 'province', 'device', 'channel', 'source', 'campaign'] as const) {
    const value = filters[key].trim();
    if (value !== '') params[key] = value;
  }
  // new/returning is measured against `from`; without a range everyone is new.
  if (filters.visitor !== 'all') params.visitor = filters.visitor;
  return params;
}

/** `?a=1&b=x` from parameters, skipping undefined, null and ''; '' when none remain. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Filters kept in the page's URL fragment (#/funnel?range=7d&device=mobile), defaults left out. */
export function filtersToParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_FILTERS) as (keyof Filters)[]) {
    if (filters[key] !== DEFAULT_FILTERS[key]) params.set(key, filters[key]);
  }
  return params;
}

export function filtersFromParams(params: URLSearchParams): Filters {
  const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
    value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  const text = (key: string) => (params.get(key) ?? '').slice(0, 128);
  return {
    range: pick(params.get('range'), TIME_RANGES, DEFAULT_FILTERS.range),
    from: text('from'),
    to: text('to'),
    category: text('category'),
    province: text('province'),
    device: text('device'),
    visitor: pick(params.get('visitor'), VISITOR_KINDS, DEFAULT_FILTERS.visitor),
    channel: pick(params.get('channel'), CHANNELS, ''),
    source: text('source'),
    campaign: text('campaign'),
  };
}

/**
 * Time-series bucket size for a range: minutes up to 3 h, hours up to 14 days,
 * days beyond (and for "all"), so a chart has at most a few hundred points.
 */
export function pickGranularity(filters: Filters, nowMs: number): 'minute' | 'hour' | 'day' {
  let spanMs: number | undefined;
  if (filters.range === 'custom') {
    const from = Date.parse(filters.from);
    const to = filters.to === '' ? nowMs : Date.parse(filters.to);
    spanMs = Number.isFinite(from) && Number.isFinite(to) ? to - from : undefined;
  } else if (filters.range !== 'all') {
    spanMs = RANGE_MS[filters.range];
  }
  if (spanMs === undefined) return 'day';
  if (spanMs <= 3 * HOUR_MS) return 'minute';
  if (spanMs <= 14 * 24 * HOUR_MS) return 'hour';
  return 'day';
}

/** A one-line description of the active filters, for page headers and CSV names. */
export function describeFilters(filters: Filters, scope: FilterScope = 'all'): string {
  const parts: string[] = [];
  if (filters.range === 'custom') parts.push(`${filters.from || '…'} → ${filters.to || '…'}`);
  else if (filters.range !== 'all') parts.push(`last ${filters.range}`);
  if (scope === 'all') {
    if (filters.category) parts.push(`category ${filters.category}`);
    if (filters.province) parts.push(`province ${filters.province}`);
    if (filters.device) parts.push(`device ${filters.device}`);
    if (filters.visitor !== 'all') parts.push(`${filters.visitor} visitors`);
    if (filters.channel) parts.push(`channel ${filters.channel}`);
    if (filters.source) parts.push(`source ${filters.source}`);
    if (filters.campaign) parts.push(`campaign ${filters.campaign}`);
  }
  return parts.length === 0 ? 'all data' : parts.join(' · ');
}
