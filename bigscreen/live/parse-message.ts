// Checks a /live frame before anything walks it: a malformed frame is
// rejected here instead of throwing inside a chart. Only the structure is
// checked (objects, arrays, numbers where the wall does arithmetic); number
// formatting already copes with odd values.
import { isRecord, type ServerMessage } from '../../api/wire/live-protocol.ts';

export type ParseMessageResult = { ok: true; message: ServerMessage } | { ok: false; reason: string };

type Check = (value: unknown) => boolean;

const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isString: Check = (v) => typeof v === 'string';
const isArray: Check = (v) => Array.isArray(v);
const isObject: Check = (v) => isRecord(v);
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const withArrays =
  (...keys: string[]): Check =>
  (v) =>
    isRecord(v) && keys.every((k) => Array.isArray(v[k]));

/** What each snapshot field must look like. */
const SECTIONS: Record<string, Check> = {
  generated_at: isNumber,
  time_zone: isString,
  day: isString,
  today: isObject,
  eps: (v) => withArrays('types', 'points')(v) && isNumber((v as Record<string, unknown>).bucket_seconds),
  hourly: (v) => isRecord(v) && withArrays('gmv', 'pv', 'paid_orders')(v.today) && withArrays('gmv', 'pv', 'paid_orders')(v.yesterday) && isRecord(v.yesterday_same_time),
  funnel: isArray,
  top_products: isArray,
  top_categories: isArray,
  provinces: withArrays('items'),
  orders: isArray,
  segments: nullable(withArrays('segments')),
  audience: withArrays('devices', 'browsers'),
  channels: isArray,
  pipeline: isObject,
  synthetic_prices: isObject,
  last_event_at: nullable(isNumber),
};

/** The first field that is missing (when `complete`) or malformed, or null when all are fine. */
function badSection(data: Record<string, unknown>, complete: boolean): string | null {
  for (const [key, check] of Object.entries(SECTIONS)) {
    if (!(key in data)) {
      if (complete) return key;
      continue;
    }
    if (!check(data[key])) return key;
  }
  return null;
}

const isPoint = (p: unknown) => isRecord(p) && isNumber(p.t) && Array.isArray(p.n);

export function parseServerMessage(data: unknown): ParseMessageResult {
  if (typeof data !== 'string') return { ok: false, reason: 'frame is not text' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'message is not an object' };
  if (typeof value.stream !== 'string' || !isNumber(value.seq)) return { ok: false, reason: 'message has no stream and seq' };
  switch (value.type) {
    case 'snapshot': {
      if (!isRecord(value.data)) return { ok: false, reason: 'snapshot has no data' };
      const bad = badSection(value.data, true);
      return bad ? { ok: false, reason: `snapshot field ${bad} is missing or malformed` } : { ok: true, message: value as unknown as ServerMessage };
    }
    case 'delta': {
      if (!isNumber(value.base) || !isRecord(value.set)) return { ok: false, reason: 'delta has no base and set' };
      const bad = badSection(value.set, false);
      if (bad) return { ok: false, reason: `delta field ${bad} is malformed` };
      if (value.eps !== undefined) {
        const eps = value.eps;
        if (!isRecord(eps) || !isNumber(eps.drop_before) || !Array.isArray(eps.upsert) || !eps.upsert.every(isPoint)) {
          return { ok: false, reason: 'delta eps patch is malformed' };
        }
      }
      return { ok: true, message: value as unknown as ServerMessage };
    }
    case 'heartbeat':
      return { ok: true, message: value as unknown as ServerMessage };
    default:
      return { ok: false, reason: 'unknown message type' };
  }
}
