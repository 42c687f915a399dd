// The vocabulary of where traffic comes from, shared by the tracker (which
// URL parameters it reads), the processor (stream-processor/steps/
// classify-touch.ts, which turns a touch into a channel, source and medium),
// the API (filters) and the wall (labels). No TypeBox here: the tracker
// bundles this file.
import type { Touch } from './events.ts';

/** The touch fields the landing URL's campaign parameters fill: `utm_source` fills `source`, and so on. */
export const UTM_FIELDS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * Ad click ids the tracker looks for in the landing URL: the first present
 * wins, and only its name is sent, never its value. What each says (its ad
 * network and channel) is the processor's table, CLICK_ID_NETWORKS in
 * stream-processor/steps/classify-touch.ts; this list stays short because
 * the tracker bundles it.
 */
export const CLICK_ID_PARAMS = ['gclid', 'gbraid', 'wbraid', 'msclkid', 'bd_vid', 'qhclickid', 'qz_gdt', 'gdt_vid', 'ttclid', 'fbclid'] as const;
export type ClickIdParam = (typeof CLICK_ID_PARAMS)[number];

/**
 * The channels, in the order the pages list them. `other`: a tagged link
 * (utm_*) whose medium and source match no rule, e.g. a QR-code poster.
 */
export const CHANNELS = [
  'direct',
  'organic_search',
  'paid_search',
  'social',
  'email',
  'affiliate',
  'display',
  'referral',
  'internal',
  'other',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const isChannel = (value: string): value is Channel => (CHANNELS as readonly string[]).includes(value);

/** Labels for screens, zh / en. */
export const CHANNEL_LABELS: Readonly<Record<Channel, { zh: string; en: string }>> = {
  direct: { zh: '直接访问', en: 'Direct' },
  organic_search: { zh: '自然搜索', en: 'Organic search' },
  paid_search: { zh: '付费搜索', en: 'Paid search' },
  social: { zh: '社交', en: 'Social' },
  email: { zh: '邮件', en: 'Email' },
  affiliate: { zh: '联盟/CPS', en: 'Affiliate' },
  display: { zh: '展示广告', en: 'Display & ads' },
  referral: { zh: '外链引荐', en: 'Referral' },
  internal: { zh: '站内', en: 'Internal' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * The touch of a page: its URL's campaign parameters (trimmed, non-empty,
 * cut to the contract's 256 characters), the name of the first ad click id it
 * carries, and its referrer. The tracker sends it for the page a session
 * begins on; the processor reads it from an event's own page when the event
 * came without one (schema 1, the importer, server SDKs).
 */
export function touchOf(url: string, referrer: string | undefined, ts: number): Touch {
  const touch: Touch = { ts };
  if (referrer) touch.referrer = referrer.slice(0, 2048);
  if (url.indexOf('?') < 0) return touch;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return touch;
  }
  for (const field of UTM_FIELDS) {
    const value = (params.get('utm_' + field) || '').trim();
    if (value) touch[field] = value.slice(0, 256);
  }
  for (const param of CLICK_ID_PARAMS) {
    if (params.has(param)) {
      touch.click_id = param;
      break;
    }
  }
  return touch;
}
