// Deterministic event ids: the same file line always gets the same id, so a
// re-import is dropped by the stream processor's event_id deduplication.
import { createHash } from 'node:crypto';

/** Namespace of ShopPulse's imported events (a random v4 UUID fixed once). */
const IMPORT_NAMESPACE = '8c1f3e52-6b0a-4d7e-9f43-2a5c7d1e9b60';

const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ''), 'hex');

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name), as node:crypto offers only v4. */
export function uuidV5(name: string, namespace: string = IMPORT_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of one event made from a file: `source` is the file's base name (so
 * the same file imported from another directory dedupes too), `key` names the
 * event inside it (line number and event type).
 */
export const importEventId = (source: string, key: string): string => uuidV5(`${source}#${key}`);
