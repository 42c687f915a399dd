// Where a visit came from: a touch (the landing URL's campaign parameters,
// its ad click id, document.referrer) and the browser's user agent become a
// channel, a source and a medium. Pure and table-driven: the sites are the
// rows of referrer-sites.ts, the click ids those of CLICK_ID_NETWORKS below
// (one per name in the contract's CLICK_ID_PARAMS). README "Traffic sources" states these rules; the
// table-driven cases in classify-touch.test.ts hold them.
//
// In order, the first that applies decides:
// 1. Campaign parameters (utm_source, utm_medium or utm_campaign present):
//    the medium decides (email, affiliate, display, paid, organic, social,
//    referral), else the kind of the site utm_source names, else `other`.
// 2. A referrer from the shop's own site (same host, or the same registrable
//    domain): `internal`.
// 3. A referrer from a search site: `organic_search`, or `paid_search` when
//    the landing URL also carries a search network's ad click id (the
//    referrer names the engine, the click id says it was an ad).
// 4. An ad click id alone: its network's channel (Google's display ads come
//    from publishers' sites, so a click id beats any other referrer).
// 5. Any other referrer: its site's kind (social, email, a marketplace is
//    `referral`), or `referral` under its host name.
// 6. No referrer in an app's in-app browser (WeChat, QQ, Weibo, Douyin, …):
//    `social` under that app.
// 7. Otherwise `direct`.
import type { Touch } from '../../collector/contract/events.ts';
import { touchOf, type Channel, type ClickIdParam } from '../../collector/contract/traffic-sources.ts';
import { REFERRER_SITES, type ReferrerSite } from './referrer-sites.ts';

export interface TrafficSource {
  channel: Channel;
  /** the named site (referrer-sites.ts), else utm_source or the referrer's host as given; `(direct)` for direct */
  source: string;
  /** utm_medium as given (lowercase), else organic | cpc | social | email | referral | internal | (none) */
  medium: string;
  campaign: string;
  term: string;
  content: string;
}

export interface TouchContext {
  /** URL of the page the event was on (the shop's own host decides `internal`); '' when unknown */
  pageUrl: string;
  userAgent: string;
}

export const DIRECT: TrafficSource = Object.freeze({ channel: 'direct', source: '(direct)', medium: '(none)', campaign: '', term: '', content: '' });

const byHost = new Map<string, ReferrerSite>();
const byAlias = new Map<string, ReferrerSite>();
const byApp = new Map<string, ReferrerSite>();
const byStem = new Map<string, ReferrerSite>();
for (const site of REFERRER_SITES) {
  for (const host of site.hosts) byHost.set(host, site);
  for (const app of site.apps ?? []) byApp.set(app, site);
  for (const stem of site.stems ?? []) byStem.set(stem, site);
  for (const alias of [site.source, ...(site.aliases ?? [])]) byAlias.set(alias, site);
}

/** The site a host names: its longest listed suffix, else a brand label followed by one or two short country labels. */
export function siteOfHost(host: string): ReferrerSite | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const site = byHost.get(labels.slice(i).join('.'));
    if (site) return site;
  }
  for (let i = 0; i < labels.length - 1; i++) {
    const site = byStem.get(labels[i]!);
    const tail = labels.slice(i + 1);
    if (site && tail.length <= 2 && tail.every((l) => l.length <= 3)) return site;
  }
  return undefined;
}

/** The site a utm_source names: an alias, or a host. */
function siteOfSource(source: string): ReferrerSite | undefined {
  return byAlias.get(source) ?? (source.includes('.') ? siteOfHost(source.replace(/^https?:\/\//, '').split('/')[0]!) : undefined);
}

/** Each ad click id's network (its source name) and the channel it says when no campaign parameter does. */
export const CLICK_ID_NETWORKS: Readonly<Record<ClickIdParam, { source: string; channel: Channel }>> = {
  gclid: { source: 'google', channel: 'paid_search' },
  gbraid: { source: 'google', channel: 'paid_search' },
  wbraid: { source: 'google', channel: 'paid_search' },
  msclkid: { source: 'bing', channel: 'paid_search' },
  bd_vid: { source: 'baidu', channel: 'paid_search' },
  qhclickid: { source: '360', channel: 'paid_search' },
  qz_gdt: { source: 'tencent_ads', channel: 'display' },
  gdt_vid: { source: 'tencent_ads', channel: 'display' },
  ttclid: { source: 'tiktok', channel: 'display' },
  fbclid: { source: 'facebook', channel: 'social' },
};

// Campaign media, after GA4's default channel rules, plus China's CPS (affiliate) and EDM (email).
const EMAIL_MEDIUM = /^(e[-_ ]?mail|edm|newsletter|mail)$/;
const AFFILIATE_MEDIUM = /^(affiliates?|cps|taoke|partner)$/;
const DISPLAY_MEDIUM = /^(display|banner|cpm|expandable|interstitial|native|video|retargeting|remarketing|ads?|paid[-_ ]?social)$/;
const PAID_MEDIUM = /cp|^ppc$|^sem$|^paid/;
const SOCIAL_MEDIUM = /^(social|social[-_ ]?(network|media)|sm|sns)$/;

function channelOfCampaign(medium: string, source: string, site: ReferrerSite | undefined): Channel {
  if (EMAIL_MEDIUM.test(medium) || (medium === '' && EMAIL_MEDIUM.test(source)) || site?.kind === 'email') return 'email';
  if (AFFILIATE_MEDIUM.test(medium)) return 'affiliate';
  if (DISPLAY_MEDIUM.test(medium)) return 'display';
  // Paid clicks on a search engine are paid search; on a social app or anywhere else they are ads.
  if (PAID_MEDIUM.test(medium)) return site?.kind === 'search' ? 'paid_search' : 'display';
  if (medium === 'organic') return site?.kind === 'social' ? 'social' : 'organic_search';
  if (SOCIAL_MEDIUM.test(medium)) return 'social';
  if (medium === 'referral') return 'referral';
  if (site?.kind === 'search') return 'organic_search';
  if (site?.kind === 'social') return 'social';
  if (site?.kind === 'shopping') return 'referral';
  return 'other';
}

const MEDIUM_OF_CHANNEL: Readonly<Record<Channel, string>> = {
  direct: '(none)',
  organic_search: 'organic',
  paid_search: 'cpc',
  social: 'social',
  email: 'email',
  affiliate: 'affiliate',
  display: 'cpc',
  referral: 'referral',
  internal: 'internal',
  other: '(none)',
};

// In-app browsers, by the token each app adds to the user agent (no referrer reaches the page from them).
const IN_APP: ReadonlyArray<[RegExp, string]> = [
  [/MicroMessenger/i, 'wechat'],
  [/(^|[^A-Za-z])QQ\/\d/, 'qq'],
  [/__weibo__|Weibo \(/, 'weibo'],
  [/aweme/i, 'douyin'],
  [/xhsdiscover/i, 'xiaohongshu'],
  [/BiliApp/i, 'bilibili'],
  [/ZhihuHybrid/i, 'zhihu'],
  [/Kwai|ksNebula/i, 'kuaishou'],
  [/DingTalk/i, 'dingtalk'],
  [/NewsArticle/, 'toutiao'],
];

const TWO_LEVEL_SUFFIX = /^(com|net|org|gov|edu|co|ac|or|ne)$/;

/** The registrable part of a host, approximately: the last two labels, or three under com.cn, co.uk and the like. */
function siteDomain(host: string): string {
  const labels = host.split('.');
  const n = labels.length >= 3 && TWO_LEVEL_SUFFIX.test(labels.at(-2)!) && labels.at(-1)!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

// The authority of an http(s) URL, read without the URL parser (a third of
// the processor's cost per event when every event parsed two URLs); URLs
// with user info or an IP literal, and anything unusual, take the parser.
const HTTP_AUTHORITY = /^https?:\/\/([^/?#]*)/i;
const PLAIN_HOST = /^[a-z0-9.-]+(:\d*)?$/i;

/** The lowercase host of an http(s) URL without `www.` and a trailing dot; undefined when it has none. */
function hostOf(url: string): string | undefined {
  const authority = HTTP_AUTHORITY.exec(url)?.[1];
  let host: string;
  if (authority !== undefined && PLAIN_HOST.test(authority)) {
    host = authority.replace(/:\d*$/, '');
  } else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
      host = parsed.hostname;
    } catch {
      return undefined;
    }
  }
  return host.toLowerCase().replace(/^www\./, '').replace(/\.$/, '') || undefined;
}

const clip = (value: string | undefined): string => (value ?? '').trim().slice(0, 256);

/** Classifies one touch; an absent touch (and a touch with nothing in it) outside an in-app browser is direct. */
export function classifyTouch(touch: Touch | undefined, ctx: TouchContext): TrafficSource {
  const campaign = clip(touch?.campaign);
  const term = clip(touch?.term);
  const content = clip(touch?.content);
  if (touch && (touch.source || touch.medium || touch.campaign)) {
    const medium = clip(touch.medium).toLowerCase();
    const given = clip(touch.source).toLowerCase();
    const site = siteOfSource(given);
    return { channel: channelOfCampaign(medium, given, site), source: site?.source ?? given, medium, campaign, term, content };
  }
  const click = touch?.click_id && Object.hasOwn(CLICK_ID_NETWORKS, touch.click_id) ? CLICK_ID_NETWORKS[touch.click_id as ClickIdParam] : undefined;
  // Most events without a touch are on a page reached from the shop's own: decided before any site lookup.
  const referrerHost = touch?.referrer ? hostOf(touch.referrer) : undefined;
  const landing = referrerHost && ctx.pageUrl ? hostOf(ctx.pageUrl) : undefined;
  if (referrerHost && landing && (referrerHost === landing || siteDomain(referrerHost) === siteDomain(landing))) {
    return { channel: 'internal', source: referrerHost, medium: 'internal', campaign, term, content };
  }
  const referrer = touch?.referrer ? parseReferrer(touch.referrer) : undefined;
  if (referrer) {
    if (referrer.site?.kind === 'search') {
      const channel = click?.channel === 'paid_search' ? 'paid_search' : 'organic_search';
      return { channel, source: referrer.site.source, medium: MEDIUM_OF_CHANNEL[channel], campaign, term: term || referrer.term, content };
    }
  }
  if (click) return { channel: click.channel, source: click.source, medium: MEDIUM_OF_CHANNEL[click.channel], campaign, term, content };
  if (referrer) {
    const channel: Channel = referrer.site?.kind === 'social' ? 'social' : referrer.site?.kind === 'email' ? 'email' : 'referral';
    return { channel, source: referrer.site?.source ?? referrer.host, medium: MEDIUM_OF_CHANNEL[channel], campaign, term, content };
  }
  const app = IN_APP.find(([pattern]) => pattern.test(ctx.userAgent));
  if (app) return { channel: 'social', source: app[1], medium: 'social', campaign, term, content };
  return campaign || term || content ? { ...DIRECT, campaign, term, content } : DIRECT;
}

interface Referrer {
  /** '' for an app referrer no row names */
  host: string;
  site: ReferrerSite | undefined;
  term: string;
}

/** An http(s) referrer's host and site, or an Android app's (android-app://package/…); undefined for anything else. */
function parseReferrer(referrer: string): Referrer | undefined {
  if (/^android-app:/i.test(referrer)) {
    let app: string;
    try {
      app = new URL(referrer).hostname.toLowerCase();
    } catch {
      return undefined;
    }
    const site = byApp.get(app);
    return { host: site ? '' : app, site, term: '' };
  }
  const host = hostOf(referrer);
  if (!host) return undefined;
  const site = siteOfHost(host);
  let term = '';
  if (site?.query && referrer.includes('?')) {
    let params: URLSearchParams | undefined;
    try {
      params = new URL(referrer).searchParams;
    } catch {} // a host, but no parsable query: no term
    for (const name of params ? site.query : []) {
      const value = params!.get(name);
      if (value) {
        term = clip(value);
        break;
      }
    }
  }
  return { host, site, term };
}

/**
 * The touch of an event sent without one (schema 1, the importer, server
 * SDKs): that of its own page. The session's source is then that of its
 * first event (the `sessions` view).
 */
export function touchFromPage(page: { url: string; referrer?: string } | undefined, ts: number): Touch | undefined {
  return page ? touchOf(page.url, page.referrer, ts) : undefined;
}
