// Small builders for contract-valid events.
import { randomUUID } from 'node:crypto';
import type { EventType, TrackedEvent } from '../../collector/contract/events.ts';

export function makeEvent(type: EventType = 'page_view', overrides: Record<string, unknown> = {}): TrackedEvent {
  const now = Date.now();
  const base = {
    event_id: randomUUID(),
    schema_version: 1,
    type,
    ts: now,
    sent_at: now,
    anonymous_id: 'anon-test',
    session_id: 'session-test',
    page: { url: 'https://shop.example/p/1', referrer: '', title: 'Test' },
  };
  const extra =
    type === 'order_submit' || type === 'order_pay'
      ? { order: { id: `o-${randomUUID().slice(0, 8)}`, amount: 199.8, items: [{ product_id: 'p-1', price: 99.9, quantity: 2 }] } }
      : type === 'review'
        ? { review: { product_id: 'p-1', rating: 5 } }
        : type === 'page_view'
          ? {}
          : type === 'page_leave'
            ? { engagement: { dwell_ms: 1500 } }
          : { product: { id: 'p-1', category_id: 'c-1', name: 'Test product', price: 99.9 } };
  return { ...base, ...extra, ...overrides } as TrackedEvent;
}

export async function postEvents(url: string, events: unknown[], contentType = 'text/plain'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/collect`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: JSON.stringify(events.length === 1 ? events[0] : { events }),
  });
  return { status: response.status, body: await response.json() };
}

export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}
