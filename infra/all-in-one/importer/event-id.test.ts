import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importEventId, uuidV5 } from './event-id.ts';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

test('uuidV5 matches the RFC 9562 / Python uuid.uuid5 reference value', () => {
  // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com'))"
  assert.equal(uuidV5('www.example.com', DNS_NAMESPACE), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
});

test('importEventId is stable, versioned 5, and differs by source and key', () => {
  const id = importEventId('taobao_c.csv', '1:page_view');
  assert.equal(id, importEventId('taobao_c.csv', '1:page_view'));
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(id, importEventId('taobao_c.csv', '1:product_view'));
  assert.notEqual(id, importEventId('taobao_a.csv', '1:page_view'));
});
