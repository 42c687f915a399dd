// Imported events as the raw topic carries them when the importer writes to
// Kafka itself (what the collector would have added, for an importer).
import type { RequestEnrichment, TrackedEvent } from '../../../collector/contract/events.ts';

export const IMPORTER_USER_AGENT = 'shoppulse-importer';

/**
 * received_at and sent_at are the moment of sending and skew_ms is 0, so the
 * stream processor stores `ts` exactly as the dataset gave it. No client
 * address, so no geo fields.
 */
export const importerEnrichment = (nowMs: number): RequestEnrichment => ({ received_at: nowMs, user_agent: IMPORTER_USER_AGENT, client_ip: '' });

/** An imported event beside importerEnrichment(nowMs) of the same send (so its skew_ms is 0). */
export const toImportedEvent = (event: TrackedEvent, nowMs: number): TrackedEvent => ({ ...event, sent_at: nowMs });
