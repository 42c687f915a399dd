// A steady open-loop sender: `ratePerS` POSTs a second, spread evenly (a few
// per 10 ms tick), each body made just before it is sent. autocannon's
// overallRate sends each second's quota as one burst at the start of the
// second, which is not the steady load the latency figure is defined at.
import { percentile } from './machine.ts';

export interface PacedOptions {
  url: string;
  ratePerS: number;
  durationS: number;
  headers: Record<string, string>;
  makeBody: (sequence: number) => string;
  /** Requests allowed in flight; when reached the sender falls behind and says so. */
  maxInFlight?: number;
}

export interface PacedResult {
  sent: number;
  ok: number;
  failed: number;
  /** requests that could not be sent on time because maxInFlight were pending */
  behind: number;
  achievedPerS: number;
  latencyMs: { p50: number; p99: number; max: number };
}

const TICK_MS = 10;

export function runPaced(options: PacedOptions): Promise<PacedResult> {
  const maxInFlight = options.maxInFlight ?? 256;
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let behind = 0;
  let inFlight = 0;
  const started = Date.now();
  const endAt = started + options.durationS * 1000;

  const send = (sequence: number) => {
    inFlight += 1;
    const t0 = performance.now();
    fetch(options.url, { method: 'POST', headers: options.headers, body: options.makeBody(sequence) })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) ok += 1;
        else failed += 1;
      })
      .catch(() => {
        failed += 1;
      })
      .finally(() => {
        latencies.push(performance.now() - t0);
        inFlight -= 1;
      });
  };

  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const due = Math.floor((Math.min(now, endAt) - started) * (options.ratePerS / 1000));
      while (sent < due) {
        if (inFlight >= maxInFlight) {
          behind += due - sent;
          sent = due; // skipped, not queued: the load stays open-loop
          break;
        }
        send(sent);
        sent += 1;
      }
      if (now >= endAt) {
        clearInterval(timer);
        const waitForInFlight = setInterval(() => {
          if (inFlight > 0 && Date.now() < endAt + 15_000) return;
          clearInterval(waitForInFlight);
          resolve({
            sent: sent - behind,
            ok,
            failed,
            behind,
            achievedPerS: ok / options.durationS,
            latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: Math.max(0, ...latencies) },
          });
        }, 20);
      }
    }, TICK_MS);
  });
}
