// `npm run import -- <file> --format taobao|rees46|online-retail …`: replays a
// public dataset through the collector or straight into Kafka. Progress goes
// to stderr, the summary to stdout.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { createKafka } from '../../kafka/client.ts';
import { ensureEventTopics } from '../../kafka/topics.ts';
import { createRootLogger } from '../../logger.ts';
import { createCollectorSink } from './collector-sink.ts';
import { readImporterConfig } from './config.ts';
import { FORMATS } from './formats/index.ts';
import { createKafkaSink } from './kafka-sink.ts';
import { parseImportArgs, USAGE } from './parse-args.ts';
import { readRecords } from './read-records.ts';
import { formatProgress, formatSummary } from './report.ts';
import { runImport } from './run-import.ts';
import type { EventSink } from './sink.ts';

async function main(argv: string[]): Promise<number> {
  const parsed = parseImportArgs(argv);
  if (!parsed.ok) {
    if ('help' in parsed) {
      console.log(USAGE);
      return 0;
    }
    console.error(`${parsed.errors.join('\n')}\n\n${USAGE}`);
    return 2;
  }
  const { args, notes } = parsed;
  for (const note of notes) console.error(note);
  let fileBytes: number;
  try {
    fileBytes = statSync(args.file).size;
  } catch (err) {
    console.error(`cannot read ${args.file}: ${(err as Error).message}`);
    return 2;
  }

  const config = readImporterConfig();
  const log = createRootLogger({ name: 'importer', level: config.logLevel });
  let sink: EventSink;
  let target: string;
  if (args.via === 'kafka') {
    const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'shoppulse-importer' }, log);
    await ensureEventTopics(kafka, { raw: config.rawTopic });
    sink = await createKafkaSink({ kafka, brokers: config.kafkaBrokers, topic: config.rawTopic, log });
    target = `${config.rawTopic} at ${config.kafkaBrokers.join(',')}`;
  } else {
    sink = createCollectorSink({ url: args.url });
    target = `${args.url}/collect`;
  }

  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  try {
    const counts = await runImport({
      file: args.file,
      format: FORMATS[args.format],
      timing: args.timing,
      limit: args.limit,
      records: readRecords(args.file),
      fileBytes,
      sink,
      onProgress: (state) => process.stderr.write(tty ? `\r\x1b[2K${formatProgress(state)}` : `${formatProgress(state)}\n`),
    });
    if (tty) process.stderr.write('\n');
    console.log(
      formatSummary({
        file: basename(args.file),
        format: args.format,
        via: args.via,
        target,
        timing: args.timing.mode === 'keep-times' ? 'event times kept' : `times shifted to now, ${args.timing.speed}× real time`,
        counts,
        elapsedMs: Date.now() - started,
      }),
    );
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    const e = err as Error & { code?: string };
    // Expected failures (bad file, unreachable collector) are one line; bugs keep their stack.
    console.error(e.code === 'IMPORT_FAILED' || e.code === 'IMPORT_FORMAT' ? `import failed: ${e.message}` : e);
    return 1;
  } finally {
    await sink.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
