// REES46 multi-category store (Kaggle "eCommerce behavior data"): header
// `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`,
// times like `2019-11-01 00:00:00 UTC`, real prices and sessions.
import type { TrackedEvent } from '../../../../collector/contract/events.ts';
import { importEventId } from '../event-id.ts';
import { columnIndex, skip, stemOf, type ImportFormat, type MapResult, type RowMapper } from './format.ts';

export const REES46_COLUMNS = ['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'] as const;

const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: UTC)?$/;

/** `2019-11-01 00:00:00 UTC` → epoch ms, or null. */
export function parseRees46Time(value: string): number | null {
  const m = UTC_TIME.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 2019-02-31 over into March: refuse such dates instead.
  return back.getUTCDate() === d && back.getUTCHours() === h ? ms : null;
}

const rees46ProductUrl = (productId: string): string => `/product/${productId}`;

const clip = (value: string, max: number): string | undefined => {
  const v = value.trim();
  return v === '' ? undefined : v.slice(0, max);
};

export function createRees46Mapper(options: { source: string; header: readonly string[] | null }): RowMapper {
  const { source } = options;
  const stem = stemOf(source);
  const col = columnIndex(options.header, REES46_COLUMNS, 'REES46');

  return {
    mapRow(fields, line): MapResult {
      const get = (name: (typeof REES46_COLUMNS)[number]) => (fields[col[name]] ?? '').trim();
      const ts = parseRees46Time(get('event_time'));
      if (ts === null) return skip('bad_timestamp');
      const type = get('event_type');
      const productId = clip(get('product_id'), 128);
      const user = clip(get('user_id'), 128);
      if (!productId) return skip('missing_product');
      if (!user) return skip('missing_user');
      const price = Number(get('price'));
      if (get('price') === '' || !Number.isFinite(price) || price < 0) return skip('bad_price');
      const categoryCode = get('category_code');
      const properties: Record<string, string> = { source: 'rees46' };
      if (categoryCode) properties.category_code = categoryCode.slice(0, 1024);
      const base = {
        schema_version: 1,
        ts,
        sent_at: ts,
        anonymous_id: user,
        user_id: user,
        // The shop's own session; the rare row without one gets a per-user session.
        session_id: clip(get('user_session'), 128) ?? `r46-${user}`,
        properties,
      };
      const id = (t: string) => importEventId(source, `${line}:${t}`);
      const categoryId = clip(get('category_id'), 128);
      const brand = clip(get('brand'), 128);
      const product = { id: productId, price, ...(categoryId ? { category_id: categoryId } : {}), ...(brand ? { brand } : {}) };
      const page = { url: rees46ProductUrl(productId) };
      let events: TrackedEvent[];
      switch (type) {
        case 'view':
          events = [
            { ...base, event_id: id('page_view'), type: 'page_view', page },
            { ...base, event_id: id('product_view'), type: 'product_view', page, product },
          ];
          break;
        case 'cart':
          events = [{ ...base, event_id: id('cart_add'), type: 'cart_add', page, product: { ...product, quantity: 1 } }];
          break;
        case 'remove_from_cart':
          events = [{ ...base, event_id: id('cart_remove'), type: 'cart_remove', page, product: { ...product, quantity: 1 } }];
          break;
        case 'purchase': {
          // One order of one unit per purchase row: REES46 has no order ids or quantities.
          const order = {
            id: `${stem}:${line}`,
            amount: price,
            items: [{ product_id: productId, price, quantity: 1, ...(categoryId ? { category_id: categoryId } : {}) }],
          };
          events = [
            { ...base, event_id: id('order_submit'), type: 'order_submit', order },
            { ...base, event_id: id('order_pay'), type: 'order_pay', order },
          ];
          break;
        }
        default:
          return skip('unknown_event_type');
      }
      return { events, skipped: [] };
    },
    finish: () => ({ events: [], skipped: [] }),
  };
}

export const rees46Format: ImportFormat = {
  name: 'rees46',
  hasHeader: true,
  createMapper: (options) => createRees46Mapper(options),
};
