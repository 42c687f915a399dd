import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Touch } from '../../collector/contract/events.ts';
import { CHANNELS } from '../../collector/contract/traffic-sources.ts';
import { classifyTouch, DIRECT, touchFromPage, type TouchContext } from './classify-touch.ts';

const SHOP = 'https://shop.example.cn/item/1';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN';
const QQ_IN_APP = 'Mozilla/5.0 (Linux; Android 13; V2238A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0 MQQBrowser/6.2 TBS/046805 Mobile Safari/537.36 V1_AND_SQ_8.9.80_4614_YYB_D QQ/8.9.80.12440 NetType/WIFI';
const QQ_BROWSER = 'Mozilla/5.0 (Linux; U; Android 12; zh-cn; V2171A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0 MQQBrowser/13.6 Mobile Safari/537.36';
const DOUYIN = 'Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/99.0 Mobile Safari/537.36 aweme_280500 JsSdk/1.0 NetType/WIFI Channel/huawei_1128_64 app_version/28.5.0';
const XHS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 xhsdiscover/8.7.1';

const touch = (fields: Omit<Touch, 'ts'>): Touch => ({ ts: 1, ...fields });
const ctx = (userAgent = CHROME, pageUrl = SHOP): TouchContext => ({ pageUrl, userAgent });

// [case, touch, context, channel, source, medium]
const CASES: Array<[string, Touch | undefined, TouchContext, string, string, string]> = [
  // No touch, nothing in it
  ['no touch', undefined, ctx(), 'direct', '(direct)', '(none)'],
  ['empty touch', touch({}), ctx(), 'direct', '(direct)', '(none)'],
  // Search referrers
  ['Baidu', touch({ referrer: 'https://www.baidu.com/link?url=abc' }), ctx(), 'organic_search', 'baidu', 'organic'],
  ['Baidu mobile', touch({ referrer: 'https://m.baidu.com/from=844b/s?word=%E6%89%8B%E6%9C%BA' }), ctx(), 'organic_search', 'baidu', 'organic'],
  ['Sogou', touch({ referrer: 'https://www.sogou.com/web?query=shoes' }), ctx(), 'organic_search', 'sogou', 'organic'],
  ['360 Search', touch({ referrer: 'https://www.so.com/s?q=shoes' }), ctx(), 'organic_search', '360', 'organic'],
  ['Shenma', touch({ referrer: 'https://m.sm.cn/s?q=shoes' }), ctx(), 'organic_search', 'shenma', 'organic'],
  ['Bing China', touch({ referrer: 'https://cn.bing.com/' }), ctx(), 'organic_search', 'bing', 'organic'],
  ['Google HK', touch({ referrer: 'https://www.google.com.hk/' }), ctx(), 'organic_search', 'google', 'organic'],
  ['Google app', touch({ referrer: 'android-app://com.google.android.googlequicksearchbox/' }), ctx(), 'organic_search', 'google', 'organic'],
  ['DuckDuckGo', touch({ referrer: 'https://duckduckgo.com/' }), ctx(), 'organic_search', 'duckduckgo', 'organic'],
  // Search referrer with an ad click id: paid
  ['Baidu ad', touch({ referrer: 'https://www.baidu.com/baidu.php?url=x', click_id: 'bd_vid' }), ctx(), 'paid_search', 'baidu', 'cpc'],
  ['Google ad', touch({ referrer: 'https://www.google.com/', click_id: 'gclid' }), ctx(), 'paid_search', 'google', 'cpc'],
  ['search referrer, social click id', touch({ referrer: 'https://www.google.com/', click_id: 'fbclid' }), ctx(), 'organic_search', 'google', 'organic'],
  // Click ids alone, or beating a referral
  ['gclid alone', touch({ click_id: 'gclid' }), ctx(), 'paid_search', 'google', 'cpc'],
  ['gclid from a publisher site', touch({ referrer: 'https://news.example.com/a', click_id: 'gclid' }), ctx(), 'paid_search', 'google', 'cpc'],
  ['msclkid', touch({ click_id: 'msclkid' }), ctx(), 'paid_search', 'bing', 'cpc'],
  ['Baidu bd_vid', touch({ click_id: 'bd_vid' }), ctx(), 'paid_search', 'baidu', 'cpc'],
  ['360 qhclickid', touch({ click_id: 'qhclickid' }), ctx(), 'paid_search', '360', 'cpc'],
  ['Tencent qz_gdt', touch({ click_id: 'qz_gdt' }), ctx(WECHAT), 'display', 'tencent_ads', 'cpc'],
  ['Tencent gdt_vid', touch({ click_id: 'gdt_vid' }), ctx(), 'display', 'tencent_ads', 'cpc'],
  ['TikTok ttclid', touch({ click_id: 'ttclid' }), ctx(), 'display', 'tiktok', 'cpc'],
  ['fbclid', touch({ click_id: 'fbclid' }), ctx(), 'social', 'facebook', 'social'],
  ['unknown click id name', touch({ click_id: 'zzclid' }), ctx(), 'direct', '(direct)', '(none)'],
  // Social referrers
  ['WeChat article', touch({ referrer: 'https://mp.weixin.qq.com/s/abc' }), ctx(), 'social', 'wechat', 'social'],
  ['Weibo', touch({ referrer: 'https://weibo.com/u/1' }), ctx(), 'social', 'weibo', 'social'],
  ['Weibo short link', touch({ referrer: 'http://t.cn/A6abc' }), ctx(), 'social', 'weibo', 'social'],
  ['Douyin', touch({ referrer: 'https://www.douyin.com/video/1' }), ctx(), 'social', 'douyin', 'social'],
  ['Xiaohongshu', touch({ referrer: 'https://www.xiaohongshu.com/explore/1' }), ctx(), 'social', 'xiaohongshu', 'social'],
  ['Xiaohongshu short link', touch({ referrer: 'http://xhslink.com/a/1' }), ctx(), 'social', 'xiaohongshu', 'social'],
  ['Bilibili', touch({ referrer: 'https://www.bilibili.com/video/BV1' }), ctx(), 'social', 'bilibili', 'social'],
  ['Zhihu', touch({ referrer: 'https://zhuanlan.zhihu.com/p/1' }), ctx(), 'social', 'zhihu', 'social'],
  ['QZone', touch({ referrer: 'https://user.qzone.qq.com/1' }), ctx(), 'social', 'qq', 'social'],
  ['Kuaishou', touch({ referrer: 'https://www.kuaishou.com/short-video/1' }), ctx(), 'social', 'kuaishou', 'social'],
  ['Tieba beats Baidu', touch({ referrer: 'https://tieba.baidu.com/p/1' }), ctx(), 'social', 'baidu_tieba', 'social'],
  ['WeChat app referrer', touch({ referrer: 'android-app://com.tencent.mm/' }), ctx(), 'social', 'wechat', 'social'],
  ['Facebook', touch({ referrer: 'https://l.facebook.com/l.php?u=x' }), ctx(), 'social', 'facebook', 'social'],
  ['X', touch({ referrer: 'https://t.co/abc' }), ctx(), 'social', 'twitter', 'social'],
  // Marketplaces and mailboxes
  ['Taobao', touch({ referrer: 'https://item.taobao.com/item.htm?id=1' }), ctx(), 'referral', 'taobao', 'referral'],
  ['Tmall', touch({ referrer: 'https://detail.tmall.com/item.htm?id=1' }), ctx(), 'referral', 'tmall', 'referral'],
  ['JD', touch({ referrer: 'https://item.jd.com/1.html' }), ctx(), 'referral', 'jd', 'referral'],
  ['Pinduoduo', touch({ referrer: 'https://mobile.yangkeduo.com/goods.html' }), ctx(), 'referral', 'pinduoduo', 'referral'],
  ['Amazon Japan', touch({ referrer: 'https://www.amazon.co.jp/dp/1' }), ctx(), 'referral', 'amazon', 'referral'],
  ['QQ Mail', touch({ referrer: 'https://mail.qq.com/cgi-bin/frame_html' }), ctx(), 'email', 'qq_mail', 'email'],
  ['Gmail', touch({ referrer: 'https://mail.google.com/mail/u/0/' }), ctx(), 'email', 'gmail', 'email'],
  // Unknown sites
  ['a blog', touch({ referrer: 'https://www.someblog.net/post/1' }), ctx(), 'referral', 'someblog.net', 'referral'],
  ['an unknown app', touch({ referrer: 'android-app://com.example.reader/' }), ctx(), 'referral', 'com.example.reader', 'referral'],
  ['not a web referrer', touch({ referrer: 'file:///C:/page.html' }), ctx(), 'direct', '(direct)', '(none)'],
  ['garbage referrer', touch({ referrer: 'not a url' }), ctx(), 'direct', '(direct)', '(none)'],
  // Internal navigation
  ['same host', touch({ referrer: 'https://shop.example.cn/cart' }), ctx(), 'internal', 'shop.example.cn', 'internal'],
  ['www and bare host', touch({ referrer: 'https://www.example.cn/' }), ctx(CHROME, 'https://example.cn/'), 'internal', 'example.cn', 'internal'],
  ['another subdomain, same site under com.cn', touch({ referrer: 'https://m.shop.com.cn/' }), ctx(CHROME, 'https://www.shop.com.cn/a'), 'internal', 'm.shop.com.cn', 'internal'],
  ['another site under com.cn', touch({ referrer: 'https://other.com.cn/' }), ctx(CHROME, 'https://www.shop.com.cn/a'), 'referral', 'other.com.cn', 'referral'],
  ['internal beats the click id', touch({ referrer: 'https://shop.example.cn/', click_id: 'gclid' }), ctx(), 'internal', 'shop.example.cn', 'internal'],
  ['unknown page: no internal', touch({ referrer: 'https://shop.example.cn/cart' }), ctx(CHROME, ''), 'referral', 'shop.example.cn', 'referral'],
  // In-app browsers without a referrer
  ['WeChat in-app', touch({}), ctx(WECHAT), 'social', 'wechat', 'social'],
  ['QQ in-app', touch({}), ctx(QQ_IN_APP), 'social', 'qq', 'social'],
  ['QQ Browser is a browser', touch({}), ctx(QQ_BROWSER), 'direct', '(direct)', '(none)'],
  ['Douyin in-app', touch({}), ctx(DOUYIN), 'social', 'douyin', 'social'],
  ['Xiaohongshu in-app', touch({}), ctx(XHS), 'social', 'xiaohongshu', 'social'],
  ['WeChat in-app with a referrer: the referrer', touch({ referrer: 'https://www.baidu.com/' }), ctx(WECHAT), 'organic_search', 'baidu', 'organic'],
  // Campaign parameters come first
  ['newsletter', touch({ source: 'newsletter', medium: 'email', campaign: 'd11' }), ctx(), 'email', 'newsletter', 'email'],
  ['EDM', touch({ source: 'members', medium: 'EDM' }), ctx(), 'email', 'members', 'edm'],
  ['source newsletter, no medium', touch({ source: 'Newsletter' }), ctx(), 'email', 'newsletter', ''],
  ['UTM beats a search referrer', touch({ source: 'newsletter', medium: 'email', referrer: 'https://www.baidu.com/' }), ctx(), 'email', 'newsletter', 'email'],
  ['UTM beats a click id', touch({ source: 'douyin', medium: 'social', click_id: 'gclid' }), ctx(), 'social', 'douyin', 'social'],
  ['UTM beats the in-app browser', touch({ source: 'poster', medium: 'qr', campaign: 'store' }), ctx(WECHAT), 'other', 'poster', 'qr'],
  ['Baidu cpc', touch({ source: 'baidu', medium: 'cpc' }), ctx(), 'paid_search', 'baidu', 'cpc'],
  ['Baidu host as source, ppc', touch({ source: 'm.baidu.com', medium: 'ppc' }), ctx(), 'paid_search', 'baidu', 'ppc'],
  ['Douyin cpc: ads', touch({ source: 'douyin', medium: 'cpc' }), ctx(), 'display', 'douyin', 'cpc'],
  ['unknown source cpm', touch({ source: 'adnet', medium: 'cpm' }), ctx(), 'display', 'adnet', 'cpm'],
  ['banner', touch({ source: 'portal', medium: 'banner' }), ctx(), 'display', 'portal', 'banner'],
  ['paid social', touch({ source: 'weixin', medium: 'paid_social' }), ctx(), 'display', 'wechat', 'paid_social'],
  ['CPS affiliate', touch({ source: 'taoke', medium: 'cps' }), ctx(), 'affiliate', 'taoke', 'cps'],
  ['affiliate', touch({ source: 'partner1', medium: 'affiliate' }), ctx(), 'affiliate', 'partner1', 'affiliate'],
  ['WeChat alias, social', touch({ source: 'wx', medium: 'social', campaign: 'share' }), ctx(), 'social', 'wechat', 'social'],
  ['xhs alias, no medium', touch({ source: 'xhs' }), ctx(), 'social', 'xiaohongshu', ''],
  ['Instagram organic', touch({ source: 'instagram', medium: 'organic' }), ctx(), 'social', 'instagram', 'organic'],
  ['Google organic', touch({ source: 'google', medium: 'organic' }), ctx(), 'organic_search', 'google', 'organic'],
  ['Baidu, no medium', touch({ source: 'baidu' }), ctx(), 'organic_search', 'baidu', ''],
  ['JD, no medium', touch({ source: 'jd' }), ctx(), 'referral', 'jd', ''],
  ['a partner site, referral', touch({ source: 'blog', medium: 'referral' }), ctx(), 'referral', 'blog', 'referral'],
  ['campaign only', touch({ campaign: 'd11' }), ctx(), 'other', '', ''],
  ['an unknown medium', touch({ source: 'poster', medium: 'qr' }), ctx(), 'other', 'poster', 'qr'],
];

describe('classifyTouch', () => {
  for (const [name, t, c, channel, source, medium] of CASES) {
    test(name, () => {
      const got = classifyTouch(t, c);
      assert.deepEqual([got.channel, got.source, got.medium], [channel, source, medium]);
    });
  }

  test('every channel is reached by some case', () => {
    const reached = new Set(CASES.map((c) => c[3]));
    assert.deepEqual(CHANNELS.filter((c) => !reached.has(c)), []);
  });

  test('campaign, term and content pass through, trimmed; a search referrer gives the term when UTM does not', () => {
    assert.deepEqual(classifyTouch(touch({ source: 'newsletter', medium: 'email', campaign: ' d11 ', term: 'shoes', content: 'hero' }), ctx()), {
      channel: 'email', source: 'newsletter', medium: 'email', campaign: 'd11', term: 'shoes', content: 'hero',
    });
    assert.equal(classifyTouch(touch({ referrer: 'https://www.sogou.com/web?query=%E9%9E%8B' }), ctx()).term, '鞋');
    assert.equal(classifyTouch(touch({ referrer: 'https://m.baidu.com/s?word=a&wd=b' }), ctx()).term, 'b');
    assert.equal(classifyTouch(touch({ referrer: 'https://www.someblog.net/?q=x' }), ctx()).term, '');
    assert.deepEqual(classifyTouch(touch({ term: 'x' }), ctx()), { ...DIRECT, term: 'x' });
  });
});

describe('touchFromPage', () => {
  test('the page’s own campaign parameters, click id and referrer', () => {
    assert.deepEqual(
      touchFromPage({ url: 'https://s.cn/?utm_source=newsletter&utm_medium=email&utm_campaign=d11&utm_term=&gclid=abc', referrer: 'https://mail.qq.com/' }, 5),
      { ts: 5, referrer: 'https://mail.qq.com/', source: 'newsletter', medium: 'email', campaign: 'd11', click_id: 'gclid' },
    );
    assert.deepEqual(touchFromPage({ url: 'https://s.cn/a' }, 5), { ts: 5 });
    assert.deepEqual(touchFromPage({ url: 'not a url?x=1' }, 5), { ts: 5 });
    assert.equal(touchFromPage(undefined, 5), undefined);
  });
});
