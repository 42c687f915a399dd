import type { TrackedEvent } from '../../../collector/contract/events.ts';

export interface SendResult {
  accepted: number;
  /** one entry per refused event: its index in the events sent, its reason and the first error */
  rejected: Array<{ index: number; reason: string; detail: string }>;
}

/** Where imported events go: the collector over HTTP, or the raw Kafka topic. */
export interface EventSink {
  /** Resolves once every event was accepted or refused; rejects with ImportError when it cannot deliver. */
  send(events: TrackedEvent[]): Promise<SendResult>;
  close(): Promise<void>;
}

export class ImportError extends Error {
  readonly code = 'IMPORT_FAILED';
  readonly retriable = false;
}
