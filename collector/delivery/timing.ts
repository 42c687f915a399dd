// Small waiting helpers for the durable publisher.

export const TIMEOUT = Symbol('timeout');

/** Resolves with the promise's outcome, or TIMEOUT after ms (the promise keeps running). */
export function within<T>(promise: Promise<T>, ms: number): Promise<{ ok: true } | { ok: false; error: unknown } | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  return Promise.race([promise.then(() => ({ ok: true as const }), (error: unknown) => ({ ok: false as const, error })), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** A sleep that wake() ends early. */
export function createAlarm() {
  let wake: (() => void) | undefined;
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    },
    wake: () => wake?.(),
  };
}
