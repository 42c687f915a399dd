// Runs a real single-node Apache Kafka (KRaft, no ZooKeeper) from Maven
// Central JARs on the machine's JDK. Used by `npm start` and the test harness
// when KAFKA_BROKERS is not set.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createKafka, createProducer } from './client.ts';

/** Keep in step with kafka.version in infra/kafka/pom.xml. */
export const KAFKA_VERSION = '4.1.1';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const pomPath = join(here, 'pom.xml');

class KafkaLaunchError extends Error {
  readonly code = 'KAFKA_LAUNCH_FAILED';
  readonly retriable = false;
}

export interface LocalKafka {
  brokers: string[];
  stop(): Promise<void>;
}

export interface LocalKafkaOptions {
  /** Broker state lives in `${dataDir}/kafka`; it survives restarts. */
  dataDir: string;
  /** Client port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where Maven copies the JARs (default `<repo>/.cache/kafka-<version>`). */
  cacheDir?: string;
  heapMb?: number;
  /**
   * Start the broker in a process group of its own, so that Ctrl-C in a
   * terminal (which signals the whole foreground group) does not reach it:
   * the owner stops it itself, after the services that still flush into it
   * (npm start does). An owner that exits takes it along; one killed outright
   * leaves it to the next start on the same data dir (reclaimDataDir).
   */
  ownProcessGroup?: boolean;
  /** C1 compilation only: half the start-up CPU (about 5 s instead of 10), slower at sustained load; for short-lived test brokers */
  quickStart?: boolean;
  log: Logger;
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

function requireToolchain(): void {
  const missing = [has('java', ['-version']) ? null : 'a JDK (17 or newer)', has('mvn', ['-v']) ? null : 'Maven'].filter(
    (x): x is string => x !== null,
  );
  if (missing.length > 0) {
    throw new KafkaLaunchError(
      `Cannot start the local Kafka broker: ${missing.join(' and ')} not found on PATH. ` +
        'Install them (Debian/Ubuntu: apt-get install -y openjdk-17-jdk-headless maven) ' +
        'or point ShopPulse at an existing cluster with KAFKA_BROKERS=host:9092[,host2:9092].',
    );
  }
}

/** Resolves the broker JARs once into the cache; later starts reuse them offline. */
function ensureKafkaJars(cacheDir: string, log: Logger): string {
  const libs = join(cacheDir, 'libs');
  const marker = join(cacheDir, '.complete');
  if (existsSync(marker)) return libs;
  log.info({ cacheDir }, 'fetching Apache Kafka JARs from Maven Central (first run only)');
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new KafkaLaunchError(`Maven could not fetch the Kafka JARs:\n${result.stdout}\n${result.stderr}`);
  }
  writeFileSync(marker, `${KAFKA_VERSION}\n`);
  return libs;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding.
 * Like Kafka's own Uuid.randomUuid(), never start one with '-': the storage
 * tool's argument parser would read it as an option (1 start in 64 failed).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(o: { nodeDir: string; port: number; controllerPort: number }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${o.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(o.nodeDir, 'logs')}`,
    // A single broker can only hold one replica. The internal topics default to
    // 3 replicas, and then consumer groups never get a coordinator (the trap in
    // kafkajs issue #1752): every internal topic is set to 1 here.
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Consumers join at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms=0',
    // Topics are created on purpose (infra/kafka/topics.ts), never by a typo.
    'auto.create.topics.enable=false',
    'num.partitions=6',
    'log.retention.hours=168',
    // Flushing is left to the OS as in production; durability comes from acks=all.
    '',
  ].join('\n');
}

function log4jConfig(logFile: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <File name="file" fileName="${logFile}" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Logger name="kafka" level="info"/>
    <Logger name="org.apache.kafka" level="info"/>
    <Root level="warn"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
`;
}

const java = (libs: string, args: string[], extraJvm: string[] = []) => [
  ...extraJvm,
  '-cp',
  // The JVM expands a trailing '*' itself: every JAR in the folder.
  `${libs}/*`,
  ...args,
];

const isAlive = (pid: number) => existsSync(`/proc/${pid}`);

/**
 * broker.pid holds "<broker pid> <owner pid>". A broker whose owner is still
 * running belongs to another live ShopPulse on this data dir: refuse. A broker
 * whose owner died (a killed `npm start`) still holds the ports and the log
 * dir lock: stop it.
 */
function reclaimDataDir(pidFile: string, log: Logger): void {
  if (!existsSync(pidFile)) return;
  const [brokerPid = 0, ownerPid = 0] = readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
  if (!Number.isInteger(brokerPid) || brokerPid <= 0) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${brokerPid}/cmdline`, 'utf8');
  } catch {
    return; // not running
  }
  if (!cmdline.includes('kafka.Kafka')) return;
  if (ownerPid > 0 && ownerPid !== process.pid && isAlive(ownerPid)) {
    throw new KafkaLaunchError(
      `Another ShopPulse (pid ${ownerPid}) is running a broker on ${dirname(pidFile)}. ` +
        'Stop it first, or give this one its own DATA_DIR.',
    );
  }
  log.warn({ pid: brokerPid }, 'stopping a Kafka broker left running by an earlier run');
  try {
    process.kill(brokerPid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  const until = Date.now() + 5000;
  while (Date.now() < until && isAlive(brokerPid)) spawnSync('sleep', ['0.1']);
}

async function waitUntilReady(brokers: string[], child: ChildProcess, log: Logger, timeoutMs: number): Promise<void> {
  // Connection refusals are expected while the JVM starts: keep kafkajs quiet here.
  const kafka = createKafka({ brokers, clientId: 'shoppulse-launcher' }, log.child({}, { level: 'fatal' }));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new KafkaLaunchError(`Kafka exited during start-up with code ${child.exitCode}`);
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      // The group coordinator needs __consumer_offsets created and loaded;
      // until then consumers get "coordinator is loading" errors. Asking for a
      // group's description makes the broker create it and answers once loaded.
      if (cluster.brokers.length > 0 && cluster.controller !== null) {
        await admin.describeGroups(['shoppulse-launcher-probe']);
        await admin.disconnect();
        // Likewise the transaction coordinator, which idempotent producers ask
        // for a producer id when they connect.
        const producer = createProducer(kafka, { retries: 1 });
        await producer.connect();
        await producer.disconnect();
        return;
      }
      await admin.disconnect();
    } catch (err) {
      lastError = err;
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new KafkaLaunchError(`Kafka did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  const log = options.log.child({ component: 'local-kafka' });
  requireToolchain();
  const cacheDir = options.cacheDir ?? join(repoRoot, '.cache', `kafka-${KAFKA_VERSION}`);
  const libs = ensureKafkaJars(cacheDir, log);

  const nodeDir = resolve(options.dataDir, 'kafka');
  mkdirSync(nodeDir, { recursive: true });
  const pidFile = join(nodeDir, 'broker.pid');
  reclaimDataDir(pidFile, log);

  const port = options.port === 0 ? await freePort() : options.port;
  const controllerPort = await freePort();
  const propsFile = join(nodeDir, 'server.properties');
  const log4jFile = join(nodeDir, 'log4j2.xml');
  writeFileSync(propsFile, serverProperties({ nodeDir, port, controllerPort }));
  writeFileSync(log4jFile, log4jConfig(join(nodeDir, 'server.log')));

  if (!existsSync(join(nodeDir, 'logs', 'meta.properties'))) {
    const format = spawnSync(
      'java',
      java(libs, ['kafka.tools.StorageTool', 'format', `--cluster-id=${newClusterId()}`, '-c', propsFile], [
        `-Dlog4j2.configurationFile=${log4jFile}`,
      ]),
      { encoding: 'utf8' },
    );
    if (format.status !== 0) throw new KafkaLaunchError(`kafka-storage format failed:\n${format.stdout}\n${format.stderr}`);
    log.info({ nodeDir }, 'formatted Kafka storage');
  }

  const out = openSync(join(nodeDir, 'broker.out'), 'a');
  const heapMb = options.heapMb ?? 512;
  const child = spawn(
    'java',
    java(libs, ['kafka.Kafka', propsFile], [
      `-Xms${Math.min(256, heapMb)}m`,
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      ...(options.quickStart ? ['-XX:TieredStopAtLevel=1'] : []),
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jFile}`,
    ]),
    { stdio: ['ignore', out, out], detached: options.ownProcessGroup === true },
  );
  closeSync(out);
  writeFileSync(pidFile, `${child.pid} ${process.pid}\n`);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const brokers = [`127.0.0.1:${port}`];
  const started = Date.now();
  try {
    await waitUntilReady(brokers, child, log, 90_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  log.info({ brokers, ms: Date.now() - started, version: KAFKA_VERSION }, 'Kafka broker ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // controlled shutdown: flushes and closes the log cleanly
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      log.info('Kafka broker stopped');
    })());
  return { brokers, stop };
}
