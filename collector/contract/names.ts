// Topic, consumer group and table names, next to the contract they carry.
export const TOPICS = {
  raw: 'shoppulse.events.raw',
} as const;

export const CONSUMER_GROUPS = {
  processor: 'shoppulse-stream-processor',
} as const;

export const TABLES = {
  events: 'events',
  eventsMinute: 'events_minute',
  eventsSecond: 'events_second',
  productsMinute: 'products_minute',
} as const;

/** Partitions of the raw topic: the upper bound on processor instances in one group. */
export const RAW_TOPIC_PARTITIONS = 6;
