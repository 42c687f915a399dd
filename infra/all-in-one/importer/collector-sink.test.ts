import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { createCollectorSink, retryDelayMs } from './collector-sink.ts';

const ev = (i: number): TrackedEvent =>
  ({ event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'page_view', ts: 1, sent_at: 1, anonymous_id: 'a', session_id: 's' }) as TrackedEvent;

function fakeFetch(answers: Array<{ status: number; body: unknown; headers?: Record<string, string> } | Error>) {
  const requests: Array<{ url: string; body: any; headers: Record<string, string> }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    requests.push({ url, body: JSON.parse(String(init.body)), headers: init.headers as Record<string, string> });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers ?? {} });
  }) as unknown as typeof fetch;
  return { impl, requests };
}

test('batches, stamps sent_at, names itself, and counts refusals by index', async () => {
  const { impl, requests } = fakeFetch([
    { status: 200, body: { accepted: 2 } },
    { status: 400, body: { accepted: 0, rejected: [{ index: 0, reason: 'invalid_event', errors: ['/ts: too old'] }] } },
  ]);
  const sink = createCollectorSink({ url: 'http://c:1/', batchSize: 2, fetch: impl, now: () => 42 });
  const result = await sink.send([ev(1), ev(2), ev(3)]);
  assert.deepEqual(result, { accepted: 2, rejected: [{ index: 2, reason: 'invalid_event', detail: '/ts: too old' }] });
  assert.equal(requests.length, 2);
  assert.equal(requests[0]!.url, 'http://c:1/collect');
  assert.equal(requests[0]!.headers['user-agent'], 'shoppulse-importer');
  assert.deepEqual(requests[0]!.body.events.map((e: TrackedEvent) => e.sent_at), [42, 42]);
});

test('429, 503 and network errors are retried after Retry-After or a backoff', async () => {
  const { impl, requests } = fakeFetch([
    new Error('ECONNREFUSED'),
    { status: 429, body: {}, headers: { 'retry-after': '2' } },
    { status: 503, body: { error: 'temporarily unavailable' } },
    { status: 202, body: { accepted: 1, spooled: true } },
  ]);
  const naps: number[] = [];
  const sink = createCollectorSink({ url: 'http://c', fetch: impl, sleep: async (ms) => void naps.push(ms) });
  assert.deepEqual(await sink.send([ev(1)]), { accepted: 1, rejected: [] });
  assert.equal(requests.length, 4);
  assert.deepEqual(naps, [250, 2000, 1000]);
});

test('gives up with the last problem, and refuses a 4xx outright', async () => {
  const down = fakeFetch(Array.from({ length: 3 }, () => ({ status: 503, body: { error: 'down' } })));
  const sink = createCollectorSink({ url: 'http://c', fetch: down.impl, maxAttempts: 3, sleep: async () => undefined });
  await assert.rejects(sink.send([ev(1)]), /gave up after 3 attempts: http:\/\/c\/collect answered 503: down/);
  const tooBig = fakeFetch([{ status: 413, body: { error: 'body too large' } }]);
  await assert.rejects(createCollectorSink({ url: 'http://c', fetch: tooBig.impl }).send([ev(1)]), /answered 413: body too large/);
  assert.equal(retryDelayMs(10, null), 10_000);
});
