// The referrer table: which site a referrer host (or a utm_source) names, and
// what kind of site it is. Data, not code: classify-touch.ts reads it and
// referrer-sites.test.ts holds every row to its meaning.
//
// Kept here rather than taken from Snowplow's referer-parser database (the
// maintained one, Apache-2.0): that database is published on a CDN and in
// its GitHub repository, not as a current npm package, and it lacks several
// of the sites Chinese shops see most (Xiaohongshu, Douyin, Kuaishou,
// Pinduoduo). A site missing here is a `referral` under its host name, never
// an error: add a row and its test.

export type SiteKind = 'search' | 'social' | 'shopping' | 'email';

export interface ReferrerSite {
  /** the `source` stored for it: short, lowercase, stable */
  source: string;
  kind: SiteKind;
  /** hosts whose name or any subdomain of it is this site (longest match wins: tieba.baidu.com over baidu.com) */
  hosts: readonly string[];
  /**
   * brand labels on many country domains: `google` matches google.com,
   * google.co.uk, google.com.hk (the label, then one or two short labels)
   */
  stems?: readonly string[];
  /** other spellings of `source` in utm_source (lowercase) */
  aliases?: readonly string[];
  /** Android apps that send `android-app://<package>` as the referrer */
  apps?: readonly string[];
  /** search sites: the query parameters that hold the search term, in order */
  query?: readonly string[];
}

export const REFERRER_SITES: readonly ReferrerSite[] = [
  // Search: China
  { source: 'baidu', kind: 'search', hosts: ['baidu.com'], aliases: ['百度'], apps: ['com.baidu.searchbox'], query: ['wd', 'word', 'kw'] },
  { source: 'sogou', kind: 'search', hosts: ['sogou.com'], aliases: ['搜狗'], apps: ['com.sogou.activity.src'], query: ['query', 'keyword'] },
  { source: '360', kind: 'search', hosts: ['so.com', 'haosou.com'], aliases: ['360search', '360so', 'so'], query: ['q'] },
  { source: 'shenma', kind: 'search', hosts: ['sm.cn'], aliases: ['sm', '神马'], query: ['q'] },
  { source: 'toutiao_search', kind: 'search', hosts: ['so.toutiao.com'], query: ['keyword'] },
  { source: 'chinaso', kind: 'search', hosts: ['chinaso.com'], query: ['q'] },
  // Search: elsewhere
  { source: 'google', kind: 'search', hosts: [], stems: ['google'], apps: ['com.google.android.googlequicksearchbox'], query: ['q'] },
  { source: 'bing', kind: 'search', hosts: ['bing.com'], query: ['q'] },
  { source: 'yahoo', kind: 'search', hosts: ['search.yahoo.com', 'search.yahoo.co.jp'], query: ['p', 'q'] },
  { source: 'duckduckgo', kind: 'search', hosts: ['duckduckgo.com'], query: ['q'] },
  { source: 'yandex', kind: 'search', hosts: ['ya.ru'], stems: ['yandex'], query: ['text'] },
  { source: 'naver', kind: 'search', hosts: ['search.naver.com'], query: ['query'] },
  { source: 'daum', kind: 'search', hosts: ['search.daum.net'], query: ['q'] },
  { source: 'ecosia', kind: 'search', hosts: ['ecosia.org'], query: ['q'] },
  { source: 'ask', kind: 'search', hosts: ['ask.com'], query: ['q'] },
  { source: 'seznam', kind: 'search', hosts: ['search.seznam.cz'], query: ['q'] },
  { source: 'brave', kind: 'search', hosts: ['search.brave.com'], query: ['q'] },

  // Social: China
  {
    source: 'wechat',
    kind: 'social',
    hosts: ['weixin.qq.com', 'wx.qq.com', 'servicewechat.com', 'weixinbridge.com'],
    aliases: ['weixin', 'wx', '微信'],
    apps: ['com.tencent.mm'],
  },
  { source: 'weibo', kind: 'social', hosts: ['weibo.com', 'weibo.cn', 't.cn'], aliases: ['sina_weibo', '微博'], apps: ['com.sina.weibo'] },
  { source: 'douyin', kind: 'social', hosts: ['douyin.com', 'iesdouyin.com'], aliases: ['dy', '抖音'], apps: ['com.ss.android.ugc.aweme'] },
  { source: 'xiaohongshu', kind: 'social', hosts: ['xiaohongshu.com', 'xhslink.com'], aliases: ['xhs', 'red', 'rednote', '小红书'], apps: ['com.xingin.xhs'] },
  { source: 'bilibili', kind: 'social', hosts: ['bilibili.com', 'b23.tv'], aliases: ['bili', 'b站'], apps: ['tv.danmaku.bili'] },
  { source: 'zhihu', kind: 'social', hosts: ['zhihu.com'], aliases: ['知乎'], apps: ['com.zhihu.android'] },
  { source: 'qq', kind: 'social', hosts: ['qzone.qq.com', 'im.qq.com', 'ti.qq.com'], aliases: ['qzone', 'qq空间'], apps: ['com.tencent.mobileqq'] },
  { source: 'kuaishou', kind: 'social', hosts: ['kuaishou.com', 'gifshow.com', 'chenzhongtech.com'], aliases: ['ks', '快手'], apps: ['com.smile.gifmaker'] },
  { source: 'toutiao', kind: 'social', hosts: ['toutiao.com'], aliases: ['今日头条'], apps: ['com.ss.android.article.news'] },
  { source: 'baidu_tieba', kind: 'social', hosts: ['tieba.baidu.com'], aliases: ['tieba', '贴吧'] },
  { source: 'douban', kind: 'social', hosts: ['douban.com'], aliases: ['豆瓣'] },
  { source: 'dingtalk', kind: 'social', hosts: ['dingtalk.com'], aliases: ['钉钉'], apps: ['com.alibaba.android.rimet'] },
  // Social: elsewhere
  { source: 'facebook', kind: 'social', hosts: ['facebook.com', 'fb.com', 'fb.me', 'messenger.com'], aliases: ['fb'], apps: ['com.facebook.katana'] },
  { source: 'instagram', kind: 'social', hosts: ['instagram.com'], aliases: ['ig'], apps: ['com.instagram.android'] },
  { source: 'twitter', kind: 'social', hosts: ['twitter.com', 'x.com', 't.co'], aliases: ['x'], apps: ['com.twitter.android'] },
  { source: 'linkedin', kind: 'social', hosts: ['linkedin.com', 'lnkd.in'], apps: ['com.linkedin.android'] },
  { source: 'reddit', kind: 'social', hosts: ['reddit.com', 'redd.it'], apps: ['com.reddit.frontpage'] },
  { source: 'pinterest', kind: 'social', hosts: ['pin.it'], stems: ['pinterest'] },
  { source: 'youtube', kind: 'social', hosts: ['youtube.com', 'youtu.be'], aliases: ['yt'], apps: ['com.google.android.youtube'] },
  { source: 'tiktok', kind: 'social', hosts: ['tiktok.com'], apps: ['com.zhiliaoapp.musically'] },
  { source: 'whatsapp', kind: 'social', hosts: ['whatsapp.com', 'wa.me'], apps: ['com.whatsapp'] },
  { source: 'telegram', kind: 'social', hosts: ['t.me', 'telegram.org', 'telegram.me'], apps: ['org.telegram.messenger'] },
  { source: 'line', kind: 'social', hosts: ['line.me'], apps: ['jp.naver.line.android'] },
  { source: 'vk', kind: 'social', hosts: ['vk.com'] },
  { source: 'threads', kind: 'social', hosts: ['threads.net', 'threads.com'] },
  { source: 'quora', kind: 'social', hosts: ['quora.com'] },
  { source: 'discord', kind: 'social', hosts: ['discord.com', 'discord.gg'] },

  // Shopping sites: a link from a marketplace is a referral under the marketplace's name.
  { source: 'taobao', kind: 'shopping', hosts: ['taobao.com', 'tb.cn'], aliases: ['淘宝'], apps: ['com.taobao.taobao'] },
  { source: 'tmall', kind: 'shopping', hosts: ['tmall.com', 'tmall.hk'], aliases: ['天猫'], apps: ['com.tmall.wireless'] },
  { source: 'jd', kind: 'shopping', hosts: ['jd.com', 'jd.hk', '3.cn'], aliases: ['jingdong', '京东'], apps: ['com.jingdong.app.mall'] },
  { source: 'pinduoduo', kind: 'shopping', hosts: ['pinduoduo.com', 'yangkeduo.com'], aliases: ['pdd', '拼多多'], apps: ['com.xunmeng.pinduoduo'] },
  { source: 'amazon', kind: 'shopping', hosts: [], stems: ['amazon'] },
  { source: 'ebay', kind: 'shopping', hosts: [], stems: ['ebay'] },
  { source: 'aliexpress', kind: 'shopping', hosts: ['aliexpress.com', 'aliexpress.us'] },

  // Webmail: a link opened from a mailbox is email.
  { source: 'qq_mail', kind: 'email', hosts: ['mail.qq.com', 'exmail.qq.com'], aliases: ['qqmail'] },
  { source: 'netease_mail', kind: 'email', hosts: ['mail.163.com', 'mail.126.com', 'mail.yeah.net'], aliases: ['163mail'] },
  { source: 'sina_mail', kind: 'email', hosts: ['mail.sina.com.cn', 'mail.sina.com'] },
  { source: 'aliyun_mail', kind: 'email', hosts: ['mail.aliyun.com', 'qiye.aliyun.com'] },
  { source: 'gmail', kind: 'email', hosts: ['mail.google.com'], apps: ['com.google.android.gm'] },
  { source: 'outlook', kind: 'email', hosts: ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'] },
  { source: 'yahoo_mail', kind: 'email', hosts: ['mail.yahoo.com'] },
];
