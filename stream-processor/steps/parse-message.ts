import { wellFormedReviver } from '../../collector/contract/well-formed.ts';
import { fail, ok, type Outcome } from './outcome.ts';

/** Decodes a Kafka message value as JSON. */
export function parseMessage(value: Buffer | null): Outcome<unknown> {
  if (value === null || value.length === 0) return fail('empty_message', 'message has no value');
  try {
    const text = value.toString('utf8');
    return ok(JSON.parse(text, wellFormedReviver(text)) as unknown);
  } catch (err) {
    return fail('invalid_json', (err as Error).message);
  }
}
