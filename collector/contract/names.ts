// Topic, consumer group and table names, next to the contract they carry.
export const TOPICS = {
  raw: 'shoppulse.events.raw',
  /** Events refused after they parsed (collector) or in the processor, with their reason. */
  failed: 'shoppulse.events.failed',
} as const;

export const CONSUMER_GROUPS = {
  processor: 'shoppulse-stream-processor',
} as const;

export const TABLES = {
  events: 'events',
  eventsMinute: 'events_minute',
  eventsSecond: 'events_second',
  productsMinute: 'products_minute',
  failedEvents: 'failed_events',
  botEvents: 'bot_events',
  duplicateEvents: 'duplicate_events',
} as const;

/** Partitions of the raw topic: the upper bound on processor instances in one group. */
export const RAW_TOPIC_PARTITIONS = 6;
/** Failed events are few; 3 partitions spread them over up to 3 processors. */
export const FAILED_TOPIC_PARTITIONS = 3;
