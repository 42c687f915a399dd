import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateEvent } from '../../../../collector/contract/validate-event.ts';
import { readRecords } from '../read-records.ts';
import { createOnlineRetailMapper, MAX_ITEMS_PER_ORDER, normaliseCustomerId, parseInvoiceDate } from './online-retail.ts';
import { sampleFile } from '../../../../test/helpers/sample-data.ts';

const SAMPLE = 'online_retail_sample_b.csv';
const header = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

describe('Online Retail mapping', () => {
  test('invoice dates are London wall-clock times', () => {
    assert.equal(parseInvoiceDate('12/1/2010 8:26'), Date.UTC(2010, 11, 1, 8, 26));
    assert.equal(parseInvoiceDate('6/12/2011 12:34'), Date.UTC(2011, 5, 12, 11, 34), 'BST');
    assert.equal(parseInvoiceDate('2010-12-01 08:26:00'), Date.UTC(2010, 11, 1, 8, 26));
    assert.equal(parseInvoiceDate('13/1/2011 8:00'), null);
  });

  test('customer ids', () => {
    assert.equal(normaliseCustomerId('12488'), '12488');
    assert.equal(normaliseCustomerId('12488.0'), '12488');
    assert.equal(normaliseCustomerId('NA'), null);
    assert.equal(normaliseCustomerId(''), null);
  });

  test('lines of one invoice become one order; guests and cancellations', () => {
    const m = createOnlineRetailMapper({ source: 'or.csv', header });
    const line = (invoice: string, stock: string, qty: string, price: string, customer: string) =>
      m.mapRow([invoice, stock, 'X', qty, '12/1/2010 8:26', price, customer, 'United Kingdom'], 0);
    assert.deepEqual(line('536365', '85123A', '6', '2.55', '17850').events, [], 'held until the end');
    line('536366', '22633', '6', '1.85', 'NA');
    line('536365', '71053', '6', '3.39', '17850');
    assert.deepEqual(line('C536379', 'D', '-1', '27.5', '14527').skipped, ['cancellation']);
    assert.deepEqual(line('536380', 'D', '0', '27.5', '14527').skipped, ['non_positive_quantity']);
    assert.deepEqual(line('536381', 'B', '1', '-11062.06', '').skipped, ['negative_price']);
    const { events } = m.finish();
    assert.deepEqual(events.map((e) => `${e.type}:${(e as any).order.id}`), [
      'order_submit:536365', 'order_pay:536365', 'order_submit:536366', 'order_pay:536366',
    ]);
    const pay = events[1] as any;
    assert.equal(pay.anonymous_id, '17850');
    assert.equal(pay.user_id, '17850');
    assert.equal(pay.session_id, 'invoice-536365');
    assert.deepEqual(pay.order, {
      id: '536365', amount: 35.64, currency: 'GBP',
      items: [{ product_id: '85123A', price: 2.55, quantity: 6 }, { product_id: '71053', price: 3.39, quantity: 6 }],
    });
    const guest = events[3] as any;
    assert.equal(guest.anonymous_id, 'guest-536366');
    assert.equal('user_id' in guest, false);
    for (const e of events) assert.ok(validateEvent(e).ok, JSON.stringify(e));
  });

  test(`an invoice of more than ${MAX_ITEMS_PER_ORDER} lines is split into orders`, () => {
    const m = createOnlineRetailMapper({ source: 'or.csv', header });
    for (let i = 0; i < MAX_ITEMS_PER_ORDER + 1; i++) m.mapRow(['1', `s${i}`, '', '1', '1/2/2011 9:00', '1', '1', 'UK'], i);
    const orders = m.finish().events.filter((e) => e.type === 'order_pay') as any[];
    assert.deepEqual(orders.map((o) => [o.order.id, o.order.items.length]), [['1', 500], ['1-p2', 1]]);
  });

  test('the real sample: invoices, guests and the money add up', async () => {
    let mapper: ReturnType<typeof createOnlineRetailMapper> | undefined;
    const skipped: Record<string, number> = {};
    const invoices = new Set<string>();
    const cancelled = new Set<string>();
    let cancelledRows = 0;
    let otherNonPositiveRows = 0;
    let droppedMoney = 0;
    const kept = new Set<string>();
    let rows = 0;
    let guestRows = 0;
    for await (const { fields, line } of readRecords(sampleFile(SAMPLE))) {
      if (!mapper) {
        mapper = createOnlineRetailMapper({ source: SAMPLE, header: fields });
        continue;
      }
      rows++;
      invoices.add(fields[1]!);
      if (fields[7] === 'NA') guestRows++;
      if (fields[1]!.startsWith('C')) {
        cancelled.add(fields[1]!);
        cancelledRows++;
      } else if (Number(fields[4]) <= 0) otherNonPositiveRows++;
      if (fields[1]!.startsWith('C') || Number(fields[4]) <= 0) droppedMoney += Number(fields[4]) * Number(fields[6]);
      else kept.add(fields[1]!);
      for (const reason of mapper.mapRow(fields, line).skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
    }
    const paid = mapper!.finish().events.filter((e) => e.type === 'order_pay') as any[];
    // SOURCES.md: 2,709 rows, 2,231 invoices, 668 rows without CustomerID, Σ quantity × price = 37,503.25.
    assert.equal(rows, 2709);
    assert.equal(invoices.size, 2231);
    assert.equal(guestRows, 668);
    assert.deepEqual(skipped, { cancellation: cancelledRows, non_positive_quantity: otherNonPositiveRows });
    assert.equal(cancelledRows, 50);
    assert.equal(paid.length, kept.size);
    assert.equal(kept.size, 2231 - cancelled.size - 7, 'seven invoices hold only zero or negative quantities');
    const gmv = paid.reduce((sum, e) => sum + Math.round(e.order.amount * 100), 0);
    assert.equal(gmv + Math.round(droppedMoney * 100), 3_750_325);
    for (const e of paid) assert.ok(validateEvent(e).ok);
  });
});
