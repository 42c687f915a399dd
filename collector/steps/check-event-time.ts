// Clock-skew correction and the time window. Client clocks are often wrong
// by minutes, sometimes by years; sent_at and received_at are read at almost
// the same moment, so their difference is the client's offset and
// ts + skew_ms puts the event on the collector's clock.

export interface TimeWindow {
  /** how far ts + skew_ms may lie ahead of received_at, ms */
  maxFutureMs: number;
  /** how far ts + skew_ms may lie behind received_at, ms */
  maxPastMs: number;
}

export type TimeCheck = { ok: true; skewMs: number } | { ok: false; reason: 'ts_out_of_range'; detail: string };

export function checkEventTime(event: { ts: number; sent_at: number }, receivedAt: number, window: TimeWindow): TimeCheck {
  const skewMs = receivedAt - event.sent_at;
  // ts + skew - receivedAt simplifies to ts - sent_at: how long before (or after) the send the event happened.
  const aheadMs = event.ts + skewMs - receivedAt;
  if (aheadMs > window.maxFutureMs) {
    return { ok: false, reason: 'ts_out_of_range', detail: `ts + skew_ms is ${aheadMs} ms in the future; at most ${window.maxFutureMs} ms allowed` };
  }
  if (-aheadMs > window.maxPastMs) {
    return { ok: false, reason: 'ts_out_of_range', detail: `ts + skew_ms is ${-aheadMs} ms in the past; at most ${window.maxPastMs} ms allowed` };
  }
  return { ok: true, skewMs };
}
