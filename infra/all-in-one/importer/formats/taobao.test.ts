import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateEvent } from '../../../../collector/contract/validate-event.ts';
import { importEventId } from '../event-id.ts';
import { readRecords } from '../read-records.ts';
import { createTaobaoMapper, taobaoPrice } from './taobao.ts';
import { sampleFile, sampleLines } from '../../../../test/helpers/sample-data.ts';

const SAMPLE = 'taobao_c.csv';

describe('Taobao mapping', () => {
  test('taobaoPrice is fixed per item, in cents, between ¥5 and ¥2,000', () => {
    const prices = Array.from({ length: 2000 }, (_, i) => taobaoPrice(String(1000 + i)));
    for (const p of prices) {
      assert.ok(p >= 5 && p <= 2000, String(p));
      assert.equal(Math.round(p * 100) / 100, p);
    }
    // The documented rule, worked out independently (Python hashlib: round(500 × 400^u) cents):
    // the same item costs the same in every import and on every machine.
    assert.deepEqual(['2200475', '1', '77460'].map(taobaoPrice), [469.14, 121.77, 19.65]);
    assert.ok(new Set(prices).size > 1500, 'prices spread over items');
  });

  test('pv → page_view + product_view; cart, fav; buy → order_submit + order_pay of one unit', () => {
    const m = createTaobaoMapper({ source: 'x.csv' });
    const pv = m.mapRow(['999477', '2200475', '3607361', 'pv', '1511848894'], 1);
    assert.deepEqual(pv.events.map((e) => e.type), ['page_view', 'product_view']);
    const [page, view] = pv.events as [any, any];
    assert.equal(page.ts, 1_511_848_894_000);
    assert.equal(page.anonymous_id, '999477');
    assert.equal(page.user_id, '999477');
    assert.equal(page.session_id, 'tb-999477-1511848894');
    assert.equal(page.page.url, 'https://item.taobao.com/item.htm?id=2200475');
    assert.equal(page.event_id, importEventId('x.csv', '1:page_view'));
    assert.deepEqual(view.product, { id: '2200475', category_id: '3607361', price: taobaoPrice('2200475') });

    const cart = m.mapRow(['999477', '77460', '3607361', 'cart', '1511848951'], 3);
    assert.deepEqual(cart.events.map((e) => e.type), ['cart_add']);
    assert.equal((cart.events[0] as any).product.quantity, 1);
    assert.equal(cart.events[0]!.session_id, 'tb-999477-1511848894', 'same session 57 s later');

    const fav = m.mapRow(['1', '2', '3', 'fav', '1511848960'], 4);
    assert.deepEqual(fav.events.map((e) => e.type), ['favorite_add']);

    const buy = m.mapRow(['999477', '77460', '3607361', 'buy', '1511860000'], 9);
    assert.deepEqual(buy.events.map((e) => e.type), ['order_submit', 'order_pay']);
    const price = taobaoPrice('77460');
    for (const e of buy.events as any[]) {
      assert.deepEqual(e.order, { id: 'x:9', amount: price, currency: 'CNY', items: [{ product_id: '77460', category_id: '3607361', price, quantity: 1 }] });
      assert.equal(e.session_id, 'tb-999477-1511860000', 'a new session after three hours');
    }
    for (const e of [...pv.events, ...cart.events, ...fav.events, ...buy.events]) assert.ok(validateEvent(e).ok, JSON.stringify(e));
  });

  test('malformed rows are skipped with a reason', () => {
    const m = createTaobaoMapper({ source: 'x.csv' });
    assert.deepEqual(m.mapRow(['1', '2', '3', 'pv'], 1).skipped, ['wrong_column_count']);
    assert.deepEqual(m.mapRow(['1', '2', '3', 'click', '1511848894'], 2).skipped, ['unknown_behavior']);
    assert.deepEqual(m.mapRow(['1', '2', '3', 'pv', '2017-11-26'], 3).skipped, ['bad_timestamp']);
    assert.deepEqual(m.mapRow(['', '2', '3', 'pv', '1511848894'], 4).skipped, ['bad_id']);
  });

  test('the first real lines of taobao_c.csv', () => {
    const m = createTaobaoMapper({ source: SAMPLE });
    const lines = sampleLines(SAMPLE, 5);
    const types = lines.flatMap((l, i) => m.mapRow(l.split(','), i + 1).events.map((e) => e.type));
    // pv, pv, cart, pv, pv
    assert.deepEqual(types, ['page_view', 'product_view', 'page_view', 'product_view', 'cart_add', 'page_view', 'product_view', 'page_view', 'product_view']);
  });

  test('all of taobao_c.csv maps to the SOURCES.md counts', async () => {
    const m = createTaobaoMapper({ source: SAMPLE });
    const byType: Record<string, number> = {};
    const ids = new Set<string>();
    let rows = 0;
    for await (const { fields, line } of readRecords(sampleFile(SAMPLE))) {
      rows++;
      const r = m.mapRow(fields, line);
      assert.deepEqual(r.skipped, []);
      for (const e of r.events) {
        byType[e.type] = (byType[e.type] ?? 0) + 1;
        ids.add(e.event_id);
      }
    }
    assert.equal(rows, 10_000);
    assert.deepEqual(byType, { page_view: 9046, product_view: 9046, cart_add: 536, favorite_add: 212, order_submit: 206, order_pay: 206 });
    assert.equal(ids.size, 9046 * 2 + 536 + 212 + 206 * 2, 'every event id distinct');
  });
});
