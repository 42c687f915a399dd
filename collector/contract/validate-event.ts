// The one compiled validator for tracked events, used by the collector on the
// wire and by the stream processor on every Kafka message.
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import {
  EVENT_TYPES,
  OrderEventSchema,
  PageLeaveEventSchema,
  PageViewEventSchema,
  ProductEventSchema,
  ReviewEventSchema,
  type EventType,
  type TrackedEvent,
} from './events.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => UUID.test(value));

const compile = (schema: TSchema): TypeCheck<TSchema> => TypeCompiler.Compile(schema);

const pageView = compile(PageViewEventSchema);
const pageLeave = compile(PageLeaveEventSchema);
const product = compile(ProductEventSchema);
const order = compile(OrderEventSchema);
const review = compile(ReviewEventSchema);

// Dispatching on `type` first gives callers a precise reason ("/product/price:
// Expected number") instead of TypeBox's generic "Expected union value".
const checkers: Record<EventType, TypeCheck<TSchema>> = {
  page_view: pageView,
  page_leave: pageLeave,
  product_view: product,
  product_click: product,
  cart_add: product,
  cart_remove: product,
  favorite_add: product,
  favorite_remove: product,
  order_submit: order,
  order_pay: order,
  review,
};

export type ValidationResult =
  | { ok: true; event: TrackedEvent }
  | { ok: false; errors: string[] };

const MAX_ERRORS = 10;

const isEventType = (value: unknown): value is EventType =>
  typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);

/** Checks one decoded event against the contract. Never throws. */
export function validateEvent(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: ['event must be a JSON object'] };
  }
  const type = (value as { type?: unknown }).type;
  if (!isEventType(type)) {
    return {
      ok: false,
      errors: [`/type: unknown event type ${JSON.stringify(type ?? null)}; expected one of ${EVENT_TYPES.join(', ')}`],
    };
  }
  const checker = checkers[type];
  if (checker.Check(value)) return { ok: true, event: value as TrackedEvent };
  const errors: string[] = [];
  for (const error of checker.Errors(value)) {
    errors.push(`${error.path || '/'}: ${error.message}`);
    if (errors.length >= MAX_ERRORS) break;
  }
  return { ok: false, errors };
}
