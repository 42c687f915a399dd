// autocannon, typed for the few options and result fields the benchmarks use
// (the package ships no types and none are installed).
import { createRequire } from 'node:module';

export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each send; returns the request to send (autocannon's dynamic requests). */
  setupRequest?: (request: LoadRequest) => LoadRequest;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  requests: LoadRequest[];
  /** Caps the request rate of all connections together (open model, corrected for coordinated omission). */
  overallRate?: number;
  timeoutS?: number;
}

interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  total?: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: Histogram;
  requests: Histogram & { sent: number };
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (
  options: Record<string, unknown>,
  callback: (err: Error | null, result: AutocannonResult) => void,
) => { stop(): void };

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  durationS: number;
  /** 2xx responses per second over the whole run */
  okPerS: number;
  ok: number;
  /** non-2xx responses, connection errors and timeouts */
  failed: number;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        pipelining: 1,
        timeout: options.timeoutS ?? 10,
        requests: options.requests,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      },
      (err, result) => {
        if (err) return reject(err);
        const statusCodes: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
        resolve({
          durationS: result.duration,
          okPerS: result['2xx'] / result.duration,
          ok: result['2xx'],
          failed: result.non2xx + result.errors, // errors include timeouts
          statusCodes,
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            mean: result.latency.mean,
          },
        });
      },
    );
  });
}
