// Generates one realistic shopper session as the tracker would have recorded
// it: landing page, product browsing with Zipf-skewed popularity, cart,
// favourites, checkout and payment, the odd review. Pure apart from ids, which
// come from crypto rather than `random` so that two runs with the same seed
// never collide in the pipeline's deduplication.
import { randomUUID } from 'node:crypto';
import {
  SCHEMA_VERSION,
  type Order,
  type PageViewEvent,
  type Product,
  type Touch,
  type TrackedEvent,
} from '../../../collector/contract/events.ts';
import { touchOf } from '../../../collector/contract/traffic-sources.ts';
import { CATALOGUE, CATEGORIES, type CatalogueProduct, type CategoryId } from './catalogue.ts';

export type Random = () => number;

/** A simulated browser: what the tracker keeps in localStorage, plus its user agent. */
export interface DemoVisitor {
  anonymousId: string;
  userId?: string;
  userAgent: string;
  /** Where the simulator says the visitor connects from (X-Forwarded-For); set by the simulator. */
  address?: string;
  /** The browser's first touch (the tracker's sp_ft): its first session's. */
  firstTouch?: Touch;
}

export interface DemoSession {
  /** The visitor after the session (a checkout logs them in). */
  visitor: DemoVisitor;
  /** Events in ts order; `sent_at` equals `ts` until a sender stamps the batch. */
  events: TrackedEvent[];
}

// Mobile-heavy, as in Chinese e-commerce; the collector parses these.
export const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN',
  'Mozilla/5.0 (Linux; Android 14; 23127PN0CC Build/UKQ1.230804.001) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.134 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00; HMSCore 6.14.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; V2309A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.49.2600(0x28003133) NetType/5G Language/zh_CN',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
];

const SHOP_ORIGIN = 'https://mall.shoppulse.demo';
const SHOP_NAME = 'ShopPulse 商城';

// Behaviour knobs: probabilities per product view unless noted.
const ZIPF_EXPONENT = 1; // classic Zipf: the best seller gets ~2× the views of the second
const LOGGED_IN_SHARE = 0.2; // new visitors already logged in; buyers log in at checkout
const CART_RATE = { cheap: 0.16, mid: 0.12, dear: 0.08 }; // by unit price: < ¥200, < ¥3000, above
const FAVORITE_RATE = 0.05;
const CART_REMOVE_RATE = 0.1; // per cart line, before checkout
const SUBMIT_RATE = 0.3; // per session with a non-empty cart
const PAY_RATE = 0.85; // per submitted order
const REVIEW_RATE = 0.1; // per session of a logged-in visitor
const FROM_LIST_RATE = 0.6; // product reached by clicking a list rather than a recommendation
const MEAN_EXTRA_VIEWS = 4;
const MAX_VIEWS = 15;

// Ranks go round the categories (the catalogue lists each category's best
// seller first), so the popular head spans the whole shop, not one category.
const CATEGORY_IDS = Object.keys(CATEGORIES);
const weights = CATALOGUE.map((product, i) => {
  const position = CATALOGUE.slice(0, i).filter((p) => p.category_id === product.category_id).length;
  const rank = position * CATEGORY_IDS.length + CATEGORY_IDS.indexOf(product.category_id);
  return 1 / (rank + 1) ** ZIPF_EXPONENT;
});
const totalWeight = weights.reduce((a, b) => a + b, 0);

function pick<T>(random: Random, items: readonly T[]): T {
  const value = items[Math.floor(random() * items.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** A product drawn with Zipf-like popularity. */
function pickProduct(random: Random): CatalogueProduct {
  let r = random() * totalWeight;
  for (let i = 0; i < CATALOGUE.length; i++) {
    r -= weights[i] ?? 0;
    if (r <= 0) return CATALOGUE[i] ?? pick(random, CATALOGUE);
  }
  return pick(random, CATALOGUE);
}

function createVisitor(random: Random): DemoVisitor {
  const visitor: DemoVisitor = { anonymousId: randomUUID(), userAgent: pick(random, USER_AGENTS) };
  return random() < LOGGED_IN_SHARE ? { ...visitor, userId: newUserId(random) } : visitor;
}

const newUserId = (random: Random) => `u${100000 + Math.floor(random() * 900000)}`;
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const cartRate = (price: number) => (price < 200 ? CART_RATE.cheap : price < 3000 ? CART_RATE.mid : CART_RATE.dear);
const rating = (random: Random) => {
  const r = random();
  return r < 0.62 ? 5 : r < 0.86 ? 4 : r < 0.93 ? 3 : r < 0.96 ? 2 : 1;
};

type Page = NonNullable<PageViewEvent['page']>;
const page = (path: string, title: string, referrer?: string): Page => ({
  url: SHOP_ORIGIN + path,
  title: `${title} - ${SHOP_NAME}`,
  ...(referrer ? { referrer } : {}),
});
const itemPage = (p: CatalogueProduct, referrer: string, query = '') => page(`/item/${p.id}.html${query}`, p.name, referrer);
const listPage = (category: CategoryId, referrer: string, query = '') => page(`/list/${category}${query}`, CATEGORIES[category], referrer);

/**
 * How sessions arrive, by weight (README "Traffic sources" classifies them):
 * search engines with the words searched, a WeChat share (the in-app browser
 * sends no referrer), the social apps, the Double-11 campaign's UTM links
 * (newsletter, WeChat article, Douyin ads with a click id) and direct visits.
 * Returning visitors come direct more often than new ones.
 */
interface Landing {
  weight: number;
  returningWeight: number;
  /** query string of the landing URL (campaign tags, click ids), without '?' */
  query?: string;
  referrer?: (random: Random) => string;
}
const SEARCH_WORDS = ['手机', '羽绒服', '蓝牙耳机', '扫地机器人', '双十一 优惠', '面霜', '运动鞋'];
const searched = (prefix: string) => (random: Random) => prefix + encodeURIComponent(pick(random, SEARCH_WORDS));
const LANDINGS: readonly Landing[] = [
  { weight: 24, returningWeight: 45 },
  { weight: 16, returningWeight: 10, referrer: searched('https://www.baidu.com/s?wd=') },
  { weight: 4, returningWeight: 2, referrer: searched('https://m.sogou.com/web/searchList.jsp?keyword=') },
  { weight: 3, returningWeight: 2, referrer: searched('https://www.bing.com/search?q=') },
  { weight: 5, returningWeight: 2, query: 'bd_vid=8839201', referrer: searched('https://www.baidu.com/s?wd=') },
  { weight: 10, returningWeight: 8, referrer: () => '' }, // a WeChat share opened in WeChat: no referrer, the user agent tells
  { weight: 7, returningWeight: 4, referrer: () => 'https://www.douyin.com/' },
  { weight: 6, returningWeight: 4, referrer: () => 'https://www.xiaohongshu.com/explore' },
  { weight: 3, returningWeight: 2, referrer: () => 'https://weibo.com/' },
  { weight: 3, returningWeight: 2, referrer: () => 'https://www.zhihu.com/question/31337' },
  { weight: 6, returningWeight: 10, query: 'utm_source=newsletter&utm_medium=email&utm_campaign=d11' },
  { weight: 7, returningWeight: 5, query: 'utm_source=wechat&utm_medium=social&utm_campaign=d11&utm_content=article' },
  { weight: 6, returningWeight: 4, query: 'utm_source=douyin&utm_medium=cpc&utm_campaign=d11_live&ttclid=E.C.P', referrer: () => 'https://www.douyin.com/' },
];
const WECHAT_SHARE = LANDINGS[5];
const IN_APP_WECHAT = USER_AGENTS.filter((ua) => ua.includes('MicroMessenger'));

function pickLanding(random: Random, returning: boolean): Landing {
  const weightOf = (l: Landing) => (returning ? l.returningWeight : l.weight);
  let r = random() * LANDINGS.reduce((sum, l) => sum + weightOf(l), 0);
  for (const landing of LANDINGS) {
    r -= weightOf(landing);
    if (r <= 0) return landing;
  }
  return LANDINGS[0]!;
}

/** Money in cents avoids 9.9 × 3 = 29.700000000000003 in order amounts. */
const cents = (yuan: number) => Math.round(yuan * 100);

/**
 * One session starting at `startMs` (event ts run forward from it with human
 * think times, compressed to 1–6 s so funnels complete within a minute on the
 * live wall). A new visitor is created unless a returning one is given.
 */
export function generateSession(random: Random, startMs: number, returning?: DemoVisitor): DemoSession {
  let visitor = returning ?? createVisitor(random);
  const sessionId = randomUUID();
  const events: TrackedEvent[] = [];
  let t = startMs;
  const landing = pickLanding(random, returning !== undefined);
  // A WeChat share is opened in WeChat's own browser.
  if (landing === WECHAT_SHARE && !returning) visitor = { ...visitor, userAgent: pick(random, IN_APP_WECHAT) };
  const referrer = landing.referrer?.(random) ?? '';
  const landingQuery = landing.query ? `?${landing.query}` : '';
  let here = page(`/${landingQuery}`, '首页', referrer);
  // What the tracker sends on every event: the touch of the page the session began on, and the browser's first.
  let sessionTouch: Touch | undefined;
  const cart = new Map<string, { product: CatalogueProduct; quantity: number }>();

  const think = (minS: number, maxS: number) => {
    t += between(random, minS * 1000, maxS * 1000);
  };
  const base = () => ({
    event_id: randomUUID(),
    schema_version: SCHEMA_VERSION,
    ts: t,
    sent_at: t,
    anonymous_id: visitor.anonymousId,
    ...(visitor.userId ? { user_id: visitor.userId } : {}),
    session_id: sessionId,
    page: here,
    ...(sessionTouch ? { touch: { session: sessionTouch, ...(visitor.firstTouch ? { first: visitor.firstTouch } : {}) } } : {}),
  });
  const goTo = (next: Page) => {
    here = next;
    if (!sessionTouch) {
      sessionTouch = touchOf(next.url, next.referrer, t);
      if (!visitor.firstTouch) visitor = { ...visitor, firstTouch: sessionTouch };
    }
    events.push({ ...base(), type: 'page_view' });
  };
  const productEvent = (type: 'product_view' | 'product_click' | 'cart_add' | 'cart_remove' | 'favorite_add', product: Product) =>
    events.push({ ...base(), type, product });

  const landingPage = random();
  if (landingPage < 0.5) goTo(here);
  else if (landingPage < 0.75) goTo(listPage(pickProduct(random).category_id, referrer, landingQuery));
  const landsOnItem = landingPage >= 0.75; // e.g. a product link shared in WeChat

  const views = Math.min(MAX_VIEWS, 1 + Math.floor(-Math.log(1 - random()) * MEAN_EXTRA_VIEWS));
  for (let i = 0; i < views; i++) {
    const product = pickProduct(random);
    if (i === 0 && landsOnItem) {
      goTo(itemPage(product, referrer, landingQuery));
    } else {
      if (random() < FROM_LIST_RATE) {
        if (here.url.includes('/item/')) goTo(listPage(product.category_id, here.url));
        think(1, 4);
        productEvent('product_click', product);
        t += between(random, 200, 800);
      }
      goTo(itemPage(product, here.url));
    }
    t += between(random, 30, 150);
    productEvent('product_view', product);
    think(2, 6);
    if (random() < cartRate(product.price)) {
      const quantity = product.price < 100 && random() < 0.4 ? between(random, 2, 3) : 1;
      productEvent('cart_add', { ...product, quantity });
      const line = cart.get(product.id);
      cart.set(product.id, { product, quantity: Math.min(100, (line?.quantity ?? 0) + quantity) });
      think(1, 3);
    }
    if (random() < FAVORITE_RATE) {
      productEvent('favorite_add', product);
      think(1, 2);
    }
  }

  for (const line of [...cart.values()]) {
    if (random() < CART_REMOVE_RATE) {
      productEvent('cart_remove', { ...line.product, quantity: line.quantity });
      cart.delete(line.product.id);
      think(1, 2);
    }
  }

  if (cart.size > 0 && random() < SUBMIT_RATE) {
    goTo(page('/cart', '购物车', here.url));
    think(2, 5);
    // Checkout requires an account: this is where most visitors get a user id.
    if (!visitor.userId) visitor = { ...visitor, userId: newUserId(random) };
    const lines = [...cart.values()];
    const order: Order = {
      id: `SP${t}${String(between(random, 0, 999)).padStart(3, '0')}`,
      amount: lines.reduce((sum, l) => sum + cents(l.product.price) * l.quantity, 0) / 100,
      currency: 'CNY',
      items: lines.map((l) => ({
        product_id: l.product.id,
        category_id: l.product.category_id,
        price: l.product.price,
        quantity: l.quantity,
      })),
    };
    goTo(page('/checkout', '确认订单', here.url));
    events.push({ ...base(), type: 'order_submit', order });
    if (random() < PAY_RATE) {
      think(3, 15);
      goTo(page(`/pay/${order.id}`, '收银台', here.url));
      t += between(random, 500, 3000);
      events.push({ ...base(), type: 'order_pay', order });
    }
  }

  if (visitor.userId && random() < REVIEW_RATE) {
    const product = pickProduct(random);
    think(2, 6);
    goTo(page(`/review/${product.id}`, `评价 ${product.name}`, here.url));
    think(5, 20);
    events.push({ ...base(), type: 'review', review: { product_id: product.id, rating: rating(random) } });
  }

  return { visitor, events };
}
