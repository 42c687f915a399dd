import type { LiveSnapshot } from '../../api/live/snapshot.ts';

export type ParseSnapshotResult = { ok: true; snapshot: LiveSnapshot } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one /live text frame. Checks only the structure the charts walk
 * (objects and arrays), so a malformed frame is rejected instead of
 * throwing inside a chart; number formatting already copes with bad numbers.
 */
export function parseLiveSnapshot(data: unknown): ParseSnapshotResult {
  if (typeof data !== 'string') return { ok: false, reason: 'frame is not text' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'message is not an object' };
  if (typeof value.generated_at !== 'number') return { ok: false, reason: 'generated_at is not a number' };
  if (!isRecord(value.today)) return { ok: false, reason: 'today is not an object' };
  if (!isRecord(value.eps) || !Array.isArray(value.eps.points)) return { ok: false, reason: 'eps.points is not an array' };
  if (!Array.isArray(value.funnel)) return { ok: false, reason: 'funnel is not an array' };
  if (!Array.isArray(value.top_products)) return { ok: false, reason: 'top_products is not an array' };
  return { ok: true, snapshot: value as unknown as LiveSnapshot };
}
