import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, createApiClient } from './api-client.ts';

const TOKEN = 'secret-token-0123456789';

function fakeFetch(status: number, body: string) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, impl };
}

test('GET sends the token only in the Authorization header and encodes the query', async () => {
  const f = fakeFetch(200, '{"ok":true}');
  const api = createApiClient({ getToken: () => TOKEN, fetch: f.impl });
  assert.deepEqual(await api.get('/api/analysis/funnel', { steps: 'a,b', province: '广东省', device: '' }), { ok: true });
  const call = f.calls[0]!;
  assert.equal(call.url, '/api/analysis/funnel?steps=a%2Cb&province=%E5%B9%BF%E4%B8%9C%E7%9C%81');
  assert.ok(!call.url.includes(TOKEN));
  assert.equal((call.init.headers as Record<string, string>).authorization, `Bearer ${TOKEN}`);
  assert.equal(call.init.credentials, 'omit');
});

test('POST sends JSON', async () => {
  const f = fakeFetch(200, '{"rows":[]}');
  const api = createApiClient({ getToken: () => TOKEN, fetch: f.impl, baseUrl: 'http://h' });
  await api.post('/api/sql', { sql: 'SELECT 1' });
  assert.equal(f.calls[0]!.url, 'http://h/api/sql');
  assert.equal(f.calls[0]!.init.method, 'POST');
  assert.equal(f.calls[0]!.init.body, '{"sql":"SELECT 1"}');
  assert.equal((f.calls[0]!.init.headers as Record<string, string>)['content-type'], 'application/json');
});

test('401 is an unauthorized ApiError carrying the API message', async () => {
  const api = createApiClient({ getToken: () => 'wrong', fetch: fakeFetch(401, '{"error":"missing or wrong bearer token"}').impl });
  await assert.rejects(api.get('/api/jobs'), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 401);
    assert.equal(err.unauthorized, true);
    assert.equal(err.message, 'missing or wrong bearer token');
    return true;
  });
});

test('a 400 carries the API message; a non-JSON error its status', async () => {
  const bad = createApiClient({ getToken: () => TOKEN, fetch: fakeFetch(400, '{"error":"Syntax error: failed at position 1"}').impl });
  await assert.rejects(bad.post('/api/sql', { sql: 'x' }), /Syntax error: failed at position 1/);
  const html = createApiClient({ getToken: () => TOKEN, fetch: fakeFetch(502, '<html>bad gateway</html>').impl });
  await assert.rejects(html.get('/api/jobs'), (err: unknown) => err instanceof ApiError && err.status === 502 && err.message === 'HTTP 502');
});

test('without a token nothing is sent', async () => {
  const f = fakeFetch(200, '{}');
  const api = createApiClient({ getToken: () => null, fetch: f.impl });
  await assert.rejects(api.get('/api/jobs'), (err: unknown) => err instanceof ApiError && err.unauthorized);
  assert.equal(f.calls.length, 0);
});

test('a network failure is an ApiError with status 0', async () => {
  const api = createApiClient({
    getToken: () => TOKEN,
    fetch: (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch,
  });
  await assert.rejects(api.get('/api/jobs'), (err: unknown) => err instanceof ApiError && err.status === 0 && /fetch failed/.test(err.message));
});
