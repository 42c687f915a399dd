import { pino, type Logger } from 'pino';

/**
 * The one root logger of a process. JSON lines by default; pretty output only
 * when stdout is a terminal (and never in CI logs, which are not a TTY).
 */
export function createRootLogger(options: { name: string; level: string }): Logger {
  const pretty = process.stdout.isTTY === true;
  return pino({
    name: options.name,
    level: options.level,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } }
      : {}),
  });
}
