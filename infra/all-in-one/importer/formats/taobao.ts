// Taobao / Tianchi UserBehavior: `user_id,item_id,category_id,behavior_type,timestamp`
// (no header, Unix seconds, no prices). docs/analytics.md documents each choice.
import { createHash } from 'node:crypto';
import type { TrackedEvent } from '../../../../collector/contract/events.ts';
import { importEventId } from '../event-id.ts';
import { createSessionizer } from '../sessionize.ts';
import { skip, stemOf, type ImportFormat, type MapResult, type RowMapper } from './format.ts';

const MIN_PRICE_CENTS = 500;
const MAX_PRICE_CENTS = 200_000;

/**
 * Taobao publishes no prices. Every item gets a fixed price from its id:
 * u = first 4 bytes of SHA-1("taobao-price:" + item_id) / 2^32, and
 * price = round(500 × 400^u) cents, i.e. log-uniform between ¥5.00 and
 * ¥2,000.00 — the same item always costs the same, in every import.
 */
export function taobaoPrice(itemId: string): number {
  const u = createHash('sha1').update(`taobao-price:${itemId}`).digest().readUInt32BE(0) / 2 ** 32;
  const cents = Math.round(MIN_PRICE_CENTS * Math.pow(MAX_PRICE_CENTS / MIN_PRICE_CENTS, u));
  return cents / 100;
}

const taobaoItemUrl = (itemId: string): string => `https://item.taobao.com/item.htm?id=${itemId}`;

const ID = /^[0-9A-Za-z_-]{1,128}$/;
const SECONDS = /^\d{1,12}$/;

export function createTaobaoMapper(options: { source: string }): RowMapper {
  const { source } = options;
  const stem = stemOf(source);
  const sessions = createSessionizer('tb-');
  const properties = { source: 'taobao' };

  return {
    mapRow(fields, line): MapResult {
      if (fields.length !== 5) return skip('wrong_column_count');
      const [user, item, category, behaviour, seconds] = fields.map((f) => f.trim()) as [string, string, string, string, string];
      if (!ID.test(user) || !ID.test(item) || !ID.test(category)) return skip('bad_id');
      if (!SECONDS.test(seconds)) return skip('bad_timestamp');
      if (behaviour !== 'pv' && behaviour !== 'cart' && behaviour !== 'fav' && behaviour !== 'buy') return skip('unknown_behavior');
      const ts = Number(seconds) * 1000;
      const base = {
        schema_version: 1,
        ts,
        sent_at: ts,
        anonymous_id: user,
        user_id: user,
        session_id: sessions.sessionOf(user, ts),
        properties,
      };
      const id = (type: string) => importEventId(source, `${line}:${type}`);
      const price = taobaoPrice(item);
      const page = { url: taobaoItemUrl(item) };
      const product = { id: item, category_id: category, price };
      let events: TrackedEvent[];
      switch (behaviour) {
        case 'pv':
          // A pv is a product page seen: one page_view (so PV = pv, as in the
          // published analyses) and one product_view (per-product metrics).
          events = [
            { ...base, event_id: id('page_view'), type: 'page_view', page },
            { ...base, event_id: id('product_view'), type: 'product_view', page, product },
          ];
          break;
        case 'cart':
          events = [{ ...base, event_id: id('cart_add'), type: 'cart_add', page, product: { ...product, quantity: 1 } }];
          break;
        case 'fav':
          events = [{ ...base, event_id: id('favorite_add'), type: 'favorite_add', page, product }];
          break;
        case 'buy': {
          // One order of one unit per buy row: the dataset has neither order ids nor quantities.
          const order = { id: `${stem}:${line}`, amount: price, currency: 'CNY', items: [{ product_id: item, category_id: category, price, quantity: 1 }] };
          events = [
            { ...base, event_id: id('order_submit'), type: 'order_submit', order },
            { ...base, event_id: id('order_pay'), type: 'order_pay', order },
          ];
          break;
        }
      }
      return { events, skipped: [] };
    },
    finish: () => ({ events: [], skipped: [] }),
  };
}

export const taobaoFormat: ImportFormat = {
  name: 'taobao',
  hasHeader: false,
  createMapper: ({ source }) => createTaobaoMapper({ source }),
};
