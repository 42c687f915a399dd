// Shared start/stop frame for services started alone (npm run collector|processor|api).
import type { Logger } from 'pino';

export function runService(name: string, start: () => Promise<{ log: Logger; stop: () => Promise<void> }>): void {
  // Handlers go in first: a SIGTERM that arrives while the service is still
  // starting must also end in a clean stop, not in the default kill.
  let signalled: string | undefined;
  let running: { log: Logger; stop: () => Promise<void> } | undefined;
  let stopping = false;
  const shutdown = () => {
    if (!running || stopping) return;
    stopping = true;
    const { log, stop } = running;
    log.info({ signal: signalled }, `stopping ${name}`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, `error while stopping ${name}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      signalled ??= signal;
      shutdown();
    });
  }
  start().then(
    (service) => {
      running = service;
      if (signalled) shutdown();
    },
    (err: unknown) => {
      process.stderr.write(`\n${name} could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

export function requireSet<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}

/** A processor that cannot consume must take the process down with it, not linger as a zombie member. */
export function exitOnFatal(log: Logger): (err: Error) => void {
  return (err) => {
    log.fatal({ err }, 'stream processor gave up; exiting');
    setImmediate(() => process.exit(1));
  };
}
