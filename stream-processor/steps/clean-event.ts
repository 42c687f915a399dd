// Validates a raw envelope again (the topic may be written by other producers
// or older collectors) and normalises it.
import { EnrichmentSchema, type RawEnvelope, type RequestEnrichment } from '../../collector/contract/events.ts';
import { validateEvent } from '../../collector/contract/validate-event.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { fail, ok, type Outcome } from './outcome.ts';

const enrichment = TypeCompiler.Compile(EnrichmentSchema);
const ENRICHMENT_KEYS = new Set(Object.keys(EnrichmentSchema.properties));

/** The collector's fields checked against their schema: undefined when valid, else the first error as `path: message` under `prefix`. */
export function enrichmentError(meta: unknown, prefix = ''): string | undefined {
  if (enrichment.Check(meta)) return undefined;
  const first = enrichment.Errors(meta).First();
  return `${prefix}${first?.path ?? ''}: ${first?.message ?? 'collector fields missing'}`;
}

/** Money as the contract's decimal amount, rounded to cents like the Decimal(18, 2) column. */
const cents = (amount: number): number => Math.round(amount * 100) / 100;

/**
 * One event of a raw record. `shared` is a format-2 record's enrichment,
 * already checked (parse-message.ts): the event is then the tracker's alone,
 * and its skew_ms is received_at − sent_at (records.ts).
 */
export function cleanEvent(value: unknown, shared?: RequestEnrichment): Outcome<RawEnvelope> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_event', shared ? 'event is not a JSON object' : 'message is not a JSON object');
  }
  if (shared) {
    const checked = validateEvent(value);
    if (!checked.ok) return fail('invalid_event', checked.errors.join('; '));
    return ok(normalise({ ...checked.event, ...shared, skew_ms: shared.received_at - checked.event.sent_at }));
  }
  // Split the collector's fields from the tracker's: each half is checked
  // against its own schema (unknown fields are refused by the event schema).
  // Absent keys stay absent so an error says "Expected required property".
  const meta: Record<string, unknown> = {};
  const event: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (ENRICHMENT_KEYS.has(key)) meta[key] = field;
    else event[key] = field;
  }
  const invalid = enrichmentError(meta);
  if (invalid !== undefined) return fail('invalid_envelope', invalid);
  const checked = validateEvent(event);
  if (!checked.ok) return fail('invalid_event', checked.errors.join('; '));
  const clean = { ...checked.event, ...meta } as RawEnvelope;
  return ok(normalise(clean));
}

function normalise(event: RawEnvelope): RawEnvelope {
  const base = { ...event, event_id: event.event_id.toLowerCase() };
  if ('product' in base && base.product.price !== undefined) {
    return { ...base, product: { ...base.product, price: cents(base.product.price) } };
  }
  if ('order' in base) {
    return {
      ...base,
      order: {
        ...base.order,
        amount: cents(base.order.amount),
        items: base.order.items.map((item) => ({ ...item, price: cents(item.price) })),
      },
    };
  }
  return base;
}
