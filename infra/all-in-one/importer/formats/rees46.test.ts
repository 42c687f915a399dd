import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateEvent } from '../../../../collector/contract/validate-event.ts';
import { FormatError } from './format.ts';
import { createRees46Mapper, parseRees46Time, REES46_COLUMNS } from './rees46.ts';
import { sampleLines } from '../../../../test/helpers/sample-data.ts';

const SAMPLE = 'rees46_nov_sample.csv';
const header = [...REES46_COLUMNS];

describe('REES46 mapping', () => {
  test('parseRees46Time reads UTC times and refuses impossible dates', () => {
    assert.equal(parseRees46Time('2019-11-01 00:00:01 UTC'), Date.UTC(2019, 10, 1, 0, 0, 1));
    assert.equal(parseRees46Time('2019-02-31 00:00:00 UTC'), null);
    assert.equal(parseRees46Time('yesterday'), null);
  });

  test('view, cart, remove_from_cart and purchase', () => {
    const m = createRees46Mapper({ source: 'r.csv', header });
    const row = (type: string, line: number) =>
      m.mapRow(['2019-11-01 10:00:00 UTC', type, '1003461', '2053013555631882655', 'electronics.smartphone', 'xiaomi', '489.07', '520088904', 's-1'], line);
    const view = row('view', 2);
    assert.deepEqual(view.events.map((e) => e.type), ['page_view', 'product_view']);
    const pv = view.events[1] as any;
    assert.deepEqual(pv.product, { id: '1003461', price: 489.07, category_id: '2053013555631882655', brand: 'xiaomi' });
    assert.equal(pv.session_id, 's-1');
    assert.equal(pv.user_id, '520088904');
    assert.deepEqual(pv.properties, { source: 'rees46', category_code: 'electronics.smartphone' });
    assert.deepEqual(row('cart', 3).events.map((e) => e.type), ['cart_add']);
    assert.deepEqual(row('remove_from_cart', 4).events.map((e) => e.type), ['cart_remove']);
    const purchase = row('purchase', 5);
    assert.deepEqual(purchase.events.map((e) => e.type), ['order_submit', 'order_pay']);
    assert.deepEqual((purchase.events[1] as any).order, {
      id: 'r:5',
      amount: 489.07,
      items: [{ product_id: '1003461', price: 489.07, quantity: 1, category_id: '2053013555631882655' }],
    });
    for (const e of [...view.events, ...purchase.events]) assert.ok(validateEvent(e).ok);
    assert.deepEqual(row('wishlist', 6).skipped, ['unknown_event_type']);
  });

  test('a file without the REES46 header is refused', () => {
    assert.throws(() => createRees46Mapper({ source: 'r.csv', header: ['a', 'b'] }), FormatError);
  });

  test('the first real lines of the sample', () => {
    const [head, ...lines] = sampleLines(SAMPLE, 4);
    const m = createRees46Mapper({ source: SAMPLE, header: head!.split(',') });
    // Line 4 has an empty category_code.
    const events = lines.flatMap((l, i) => m.mapRow(l.split(','), i + 2).events);
    assert.equal(events.length, 6);
    const third = events[5] as any;
    assert.equal(third.ts, Date.UTC(2019, 10, 1, 0, 0, 1));
    assert.deepEqual(third.product, { id: '17302664', price: 28.31, category_id: '2053013553853497655', brand: 'creed' });
    assert.deepEqual(third.properties, { source: 'rees46' });
    assert.equal(third.session_id, '755422e7-9040-477b-9bd2-6a6e8fd97387');
  });
});
