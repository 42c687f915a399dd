// UCI Online Retail invoice lines: `InvoiceNo,StockCode,Description,Quantity,
// InvoiceDate,UnitPrice,CustomerID,Country` (the R export in ../shared/data
// adds a first, unnamed row-index column). Lines are grouped into one order
// per invoice, so the whole file is read before any event is produced.
import type { TrackedEvent } from '../../../../collector/contract/events.ts';
import { importEventId } from '../event-id.ts';
import { wallTimeToEpochMs } from '../../../zoned-time.ts';
import { columnIndex, skip, type ImportFormat, type MapResult, type RowMapper } from './format.ts';

const ONLINE_RETAIL_COLUMNS = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'] as const;
/** The shop is in the UK; invoice times are read as London wall-clock times. */
const ONLINE_RETAIL_TIME_ZONE = 'Europe/London';
/** The contract allows 500 items per order; a longer invoice becomes several orders. */
export const MAX_ITEMS_PER_ORDER = 500;

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `12/1/2010 8:26` (M/D/YYYY) or `2010-12-01 08:26:00`, London time → epoch ms, or null. */
export function parseInvoiceDate(value: string): number | null {
  const v = value.trim();
  let parts: number[] | undefined;
  const us = US_DATE.exec(v);
  if (us) parts = [us[3], us[1], us[2], us[4], us[5], us[6] ?? '0'].map(Number);
  const iso = ISO_DATE.exec(v);
  if (iso) parts = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6] ?? '0'].map(Number);
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return wallTimeToEpochMs({ year, month, day, hour, minute, second }, ONLINE_RETAIL_TIME_ZONE);
}

/** `12488`, `12488.0` → `12488`; `NA` or empty → null (a guest checkout). */
export function normaliseCustomerId(value: string): string | null {
  const v = value.trim();
  if (v === '' || v.toUpperCase() === 'NA') return null;
  return v.replace(/\.0+$/, '').slice(0, 128);
}

interface InvoiceLine {
  stockCode: string;
  quantity: number;
  priceCents: number;
}

interface Invoice {
  invoiceNo: string;
  ts: number;
  customer: string | null;
  country: string;
  lines: InvoiceLine[];
}

/** The two order events of each (part of an) invoice. */
function invoiceEvents(invoice: Invoice, source: string): TrackedEvent[] {
  const anonymousId = invoice.customer ?? `guest-${invoice.invoiceNo}`;
  const events: TrackedEvent[] = [];
  const parts = Math.ceil(invoice.lines.length / MAX_ITEMS_PER_ORDER);
  for (let part = 0; part < parts; part++) {
    const lines = invoice.lines.slice(part * MAX_ITEMS_PER_ORDER, (part + 1) * MAX_ITEMS_PER_ORDER);
    const amountCents = lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
    const order = {
      id: part === 0 ? invoice.invoiceNo : `${invoice.invoiceNo}-p${part + 1}`,
      amount: amountCents / 100,
      currency: 'GBP',
      items: lines.map((l) => ({ product_id: l.stockCode, price: l.priceCents / 100, quantity: l.quantity })),
    };
    const base = {
      schema_version: 1,
      ts: invoice.ts,
      sent_at: invoice.ts,
      anonymous_id: anonymousId,
      ...(invoice.customer ? { user_id: invoice.customer } : {}),
      session_id: `invoice-${invoice.invoiceNo}`,
      properties: { source: 'online-retail', country: invoice.country },
      order,
    };
    const key = `invoice:${invoice.invoiceNo}:${part + 1}`;
    events.push(
      { ...base, event_id: importEventId(source, `${key}:order_submit`), type: 'order_submit' },
      { ...base, event_id: importEventId(source, `${key}:order_pay`), type: 'order_pay' },
    );
  }
  return events;
}

export function createOnlineRetailMapper(options: { source: string; header: readonly string[] | null }): RowMapper {
  const { source } = options;
  const col = columnIndex(options.header, ONLINE_RETAIL_COLUMNS, 'Online Retail');
  const invoices = new Map<string, Invoice>();

  return {
    mapRow(fields): MapResult {
      const get = (name: (typeof ONLINE_RETAIL_COLUMNS)[number]) => (fields[col[name]] ?? '').trim();
      const invoiceNo = get('InvoiceNo').slice(0, 100);
      const stockCode = get('StockCode').slice(0, 128);
      if (invoiceNo === '' || stockCode === '') return skip('missing_id');
      // Cancellations (C536379, negative quantity) are dropped: the contract
      // has no refund event, and the sample rarely holds the cancelled invoice.
      if (invoiceNo.toUpperCase().startsWith('C')) return skip('cancellation');
      const quantity = Number(get('Quantity'));
      if (!Number.isInteger(quantity)) return skip('bad_quantity');
      if (quantity <= 0) return skip('non_positive_quantity');
      if (quantity > 100_000) return skip('bad_quantity');
      const price = Number(get('UnitPrice'));
      if (get('UnitPrice') === '' || !Number.isFinite(price)) return skip('bad_price');
      if (price < 0) return skip('negative_price');
      const ts = parseInvoiceDate(get('InvoiceDate'));
      if (ts === null) return skip('bad_timestamp');
      let invoice = invoices.get(invoiceNo);
      if (!invoice) {
        invoice = { invoiceNo, ts, customer: normaliseCustomerId(get('CustomerID')), country: get('Country').slice(0, 1024), lines: [] };
        invoices.set(invoiceNo, invoice);
      }
      invoice.ts = Math.min(invoice.ts, ts);
      invoice.lines.push({ stockCode, quantity, priceCents: Math.round(price * 100) });
      return { events: [], skipped: [] };
    },
    finish(): MapResult {
      const events = [...invoices.values()].flatMap((invoice) => invoiceEvents(invoice, source));
      invoices.clear();
      return { events, skipped: [] };
    },
  };
}

export const onlineRetailFormat: ImportFormat = {
  name: 'online-retail',
  hasHeader: true,
  createMapper: (options) => createOnlineRetailMapper(options),
};
