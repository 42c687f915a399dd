// The collector's Prometheus metrics, on a registry of their own so several
// collectors (tests, the all-in-one stack) never collide in prom-client's
// global one. Names and labels are listed in docs/collector.md.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface CollectorMetrics {
  registry: Registry;
  /** events in bodies that parsed and had the right shape */
  eventsReceived: Counter;
  /** valid events handed to Kafka or the spool */
  eventsAccepted: Counter;
  eventsRejected: Counter<'reason'>;
  /** whole requests refused before any event was looked at */
  requestsRejected: Counter<'reason'>;
  botEvents: Counter<'bot'>;
  spooledMessages: Counter<'topic'>;
  replayedMessages: Counter;
  spoolBytes: Gauge;
  spoolMessages: Gauge;
  kafkaReachable: Gauge;
  produceSeconds: Histogram<'path' | 'outcome'>;
}

export function createCollectorMetrics(options: { defaultMetrics?: boolean } = {}): CollectorMetrics {
  const registry = new Registry();
  // Process metrics (CPU, heap, event loop lag) only where a real server runs:
  // each call starts an event-loop monitor that tests do not need.
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({ name: 'collector_events_received_total', help: 'Events in POST /collect bodies that parsed', registers }),
    eventsAccepted: new Counter({ name: 'collector_events_accepted_total', help: 'Valid events handed to Kafka or the spool', registers }),
    eventsRejected: new Counter({
      name: 'collector_events_rejected_total',
      help: 'Events refused and sent to the failed-events topic, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    requestsRejected: new Counter({
      name: 'collector_requests_rejected_total',
      help: 'POST /collect requests refused as a whole, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    botEvents: new Counter({
      name: 'collector_bot_events_total',
      help: 'Accepted events whose user agent is a crawler, by crawler (other = not in the named list)',
      labelNames: ['bot'] as const,
      registers,
    }),
    spooledMessages: new Counter({
      name: 'collector_spooled_messages_total',
      help: 'Kafka messages written to the on-disk spool instead of Kafka',
      labelNames: ['topic'] as const,
      registers,
    }),
    replayedMessages: new Counter({ name: 'collector_replayed_messages_total', help: 'Spooled messages Kafka acknowledged on replay', registers }),
    spoolBytes: new Gauge({ name: 'collector_spool_bytes', help: 'Bytes waiting in the spool', registers }),
    spoolMessages: new Gauge({ name: 'collector_spool_messages', help: 'Messages waiting in the spool', registers }),
    kafkaReachable: new Gauge({ name: 'collector_kafka_reachable', help: '1 when the last contact with Kafka succeeded', registers }),
    produceSeconds: new Histogram({
      name: 'collector_kafka_produce_seconds',
      help: 'Time until Kafka acknowledged (or the attempt ended), by path (direct | replay) and outcome (ok | error | timeout)',
      labelNames: ['path', 'outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
