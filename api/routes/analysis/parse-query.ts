// Query-string values of the analysis API → typed parameters (pure). Fastify's
// JSON schemas check shapes; this checks meaning (instants, event types) and
// throws AnalysisQueryError (400) naming the parameter.
import { EVENT_TYPES } from '../../../collector/contract/events.ts';
import { wallTimeToEpochMs } from '../../../infra/zoned-time.ts';
import { TRAFFIC_FILTERS, type AnalysisFilter } from '../../queries/analysis/filters.ts';
import type { VisitorKind } from '../../wire/params.ts';

export class AnalysisQueryError extends Error {
  readonly code = 'BAD_ANALYSIS_QUERY';
  readonly statusCode = 400;
  readonly retriable = false;
}

const EPOCH_MS = /^\d{1,15}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch ms (`1511539200000`), or ISO 8601: `2017-11-25`, `2017-11-25T08:00`,
 * `2017-11-25T08:00:00.000+08:00`, `…Z`. Without an offset the wall-clock
 * time is read in timeZone (the API's TIME_ZONE), so `2017-11-25` is that
 * day's local midnight.
 */
export function parseInstant(value: string, timeZone: string, name: string): number {
  const v = value.trim();
  if (EPOCH_MS.test(v)) return Number(v);
  const m = ISO.exec(v);
  const bad = () => new AnalysisQueryError(`${name}: expected epoch ms or ISO 8601 (2017-11-25, 2017-11-25T08:00, 2017-11-25T08:00:00+08:00), got ${JSON.stringify(value)}`);
  if (!m) throw bad();
  const [year, month, day, hour, minute, second, millis] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0', (m[7] ?? '0').padEnd(3, '0')].map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw bad();
  const zone = m[8];
  if (zone === undefined) return wallTimeToEpochMs({ year, month, day, hour, minute, second }, timeZone) + millis;
  if (zone === 'Z') return asUtc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return asUtc - sign * offsetMin * 60_000;
}

export interface FilterQuery {
  from?: string;
  to?: string;
  category?: string;
  product?: string;
  province?: string;
  device?: string;
  visitor?: VisitorKind;
  channel?: string;
  source?: string;
  campaign?: string;
}

export function parseFilter(query: FilterQuery, timeZone: string): AnalysisFilter {
  const filter: AnalysisFilter = {};
  if (query.from !== undefined) filter.fromMs = parseInstant(query.from, timeZone, 'from');
  if (query.to !== undefined) filter.toMs = parseInstant(query.to, timeZone, 'to');
  if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs >= filter.toMs) {
    throw new AnalysisQueryError('from must be before to (to is exclusive)');
  }
  for (const key of ['category', 'product', 'province', 'device', ...TRAFFIC_FILTERS] as const) {
    if (query[key] !== undefined) filter[key] = query[key];
  }
  if (query.visitor !== undefined && query.visitor !== 'all') filter.visitor = query.visitor;
  return filter;
}

const isEventType = (value: string): boolean => (EVENT_TYPES as readonly string[]).includes(value);

/** `product_view,cart_add` → ['product_view', 'cart_add'], every one a contract event type. */
export function parseEventTypes(value: string, name: string): string[] {
  const types = value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const unknown = types.filter((t) => !isEventType(t));
  if (types.length === 0 || unknown.length > 0) {
    throw new AnalysisQueryError(`${name}: unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ') || '(none given)'}; expected ${EVENT_TYPES.join(', ')}`);
  }
  return types;
}
