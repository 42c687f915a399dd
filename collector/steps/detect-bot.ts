import { isbotPatterns } from 'isbot';

/**
 * Crawlers of the Chinese search engines and platforms, named as they sign
 * themselves. isbot knows most of them only as generic "spider"/"bot" words;
 * matching them first gives the metric and bot_events a stable name.
 */
const NAMED_CRAWLERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/baiduspider/i, 'Baiduspider'],
  [/bytespider/i, 'Bytespider'],
  [/petalbot/i, 'PetalBot'],
  [/sogou/i, 'Sogou'],
  [/360spider/i, '360Spider'],
  [/yisouspider/i, 'YisouSpider'],
  [/googlebot/i, 'Googlebot'],
  [/bingbot/i, 'bingbot'],
];

/** Names the metric label may take; anything else is counted as "other" so the label stays low-cardinality. */
export const KNOWN_BOT_NAMES: ReadonlySet<string> = new Set(NAMED_CRAWLERS.map(([, name]) => name));

const CRAWLER_TOKEN = /[\w.-]*(?:bot|spider|crawler|slurp)[\w.-]*/i;
const BROWSER_LIKE = /^(?:Mozilla|Opera)\//;
const HEADLESS = /headless/i;
const MAX_NAME = 64; // the contract's maxLength for bot

export interface BotRules {
  /** Flag HeadlessChrome and friends too (off by default, see docs/collector.md). */
  headless: boolean;
}

/**
 * The crawler name when the user agent is a bot, else undefined.
 *
 * isbot is written for page requests, where "curl/8", "node" or
 * "python-requests" mean a script. A beacon collector also receives events
 * from shops' own servers (an order_pay sent by the backend) and from tests,
 * so non-browser agents are flagged only when they call themselves a
 * bot/spider/crawler; browser-like agents get the whole isbot list.
 * Headless browsers are not crawlers by default: they are how prerender
 * services, synthetic monitoring and this project's browser tests load shop
 * pages (COLLECT_BOT_HEADLESS=true flags them).
 */
export function detectBot(userAgent: string, rules: BotRules): string | undefined {
  if (userAgent === '') return undefined;
  for (const [pattern, name] of NAMED_CRAWLERS) if (pattern.test(userAgent)) return name;
  const patterns = isbotPatterns(userAgent);
  if (patterns.length === 0) return undefined;
  const token = CRAWLER_TOKEN.exec(userAgent)?.[0]?.slice(0, MAX_NAME);
  if (!BROWSER_LIKE.test(userAgent)) return token;
  if (patterns.every((p) => HEADLESS.test(p))) return rules.headless ? 'headless' : undefined;
  return token ?? 'other';
}
