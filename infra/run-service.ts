// Shared start/stop frame for services started alone (npm run collector|processor|api).
import type { Logger } from 'pino';

export function runService(name: string, start: () => Promise<{ log: Logger; stop: () => Promise<void> }>): void {
  start().then(
    ({ log, stop }) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, `stopping ${name}`);
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
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
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
