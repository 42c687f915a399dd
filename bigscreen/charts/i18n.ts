// The wall's words in Chinese and English. Chosen with ?lang=en|zh (default
// zh) and switched live with the L key or the header button.
import type { Lang } from './compact-format.ts';

export type { Lang } from './compact-format.ts';

const zh = {
  title: 'ShopPulse 实时数据大屏',
  subtitle: 'LIVE COMMERCE DASHBOARD',
  'lang.toggle': 'EN',
  'clock.zone': '时区',
  freshness: '数据延迟',
  'freshness.none': '无数据',
  'state.connecting': '连接中',
  'state.live': '实时',
  'state.reconnecting': '重连中',
  'state.stale': '数据停滞',
  'state.unauthorized': '令牌无效',
  'state.no-token': '缺少令牌',
  'kpi.gmv': '今日成交额',
  'kpi.orders': '下单数',
  'kpi.paid_orders': '支付订单',
  'kpi.pv': '浏览量 PV',
  'kpi.uv': '访客数 UV',
  'kpi.conversion_rate': '支付转化率',
  'kpi.avg_order_value': '客单价',
  'kpi.visitors_5m': '近5分钟访客',
  'panel.traffic': '实时流量',
  'panel.traffic.sub': '近15分钟 · 按类型',
  'panel.hourly': '分时对比',
  'panel.hourly.sub': '今日 vs 昨日',
  'panel.funnel': '转化漏斗',
  'panel.funnel.sub': '今日访客',
  'panel.map': '访客地域分布',
  'panel.map.sub': '今日 · 按省份',
  'panel.products': '热销商品 TOP10',
  'panel.products.sub': '按成交额',
  'panel.categories': '热销类目 TOP10',
  'panel.categories.sub': '按成交额',
  'panel.ticker': '实时订单',
  'panel.ticker.sub': '最近一小时支付',
  'panel.audience': '终端与访客',
  'panel.audience.sub': '今日',
  'panel.segments': 'RFM 用户分层',
  'panel.channels': '流量来源',
  'panel.channels.sub': '今日 · 访客 · 成交额(末次非直接)',
  'channels.unknown': '未知',
  'channels.more': '另 {n} 个渠道',
  'panel.health': '数据管道',
  waiting: '等待数据…',
  'no-data': '暂无数据',
  'traffic.now': '当前',
  'traffic.peak': '峰值',
  'traffic.perSecond': '/秒',
  'type.page_view': '浏览',
  'type.product_view': '商品浏览',
  'type.cart_add': '加购',
  'type.favorite_add': '收藏',
  'type.order_submit': '下单',
  'type.order_pay': '支付',
  'type.other': '其他',
  'hourly.gmvToday': '今日成交额',
  'hourly.gmvYesterday': '昨日成交额',
  'hourly.pvToday': '今日浏览量',
  'hourly.pvYesterday': '昨日浏览量',
  'hourly.vsYesterday': '较昨日同时段',
  'funnel.product_view': '浏览商品',
  'funnel.cart_add': '加入购物车',
  'funnel.order_submit': '提交订单',
  'funnel.order_pay': '支付成功',
  'funnel.rate': '转化',
  'map.visitors': '访客',
  'map.abroad': '境外',
  'map.unlocated': '未定位',
  'map.noLocated': '今日暂无可定位访客',
  'ticker.empty': '最近一小时暂无支付订单',
  'ticker.imported': '导入',
  'audience.devices': '设备',
  'audience.browsers': '浏览器',
  'audience.new': '新访客',
  'audience.returning': '老访客',
  'device.desktop': '电脑',
  'device.mobile': '手机',
  'device.tablet': '平板',
  'device.other': '其他',
  'device.unknown': '未知',
  'browser.other': '其他',
  'browser.unknown': '未知',
  'segments.notComputed': '尚未计算：RFM 任务运行后显示',
  'segments.computedAt': '计算于',
  'segments.users': '用户',
  'health.eps': '流入事件/秒',
  'health.failed': '今日失败事件',
  'health.bots': '今日过滤爬虫',
  'health.duplicates': '今日去重',
  'health.lag': '消费延迟(条)',
  'health.unknown': '未知',
  'note.synthetic': '含 {orders} 笔淘宝导入订单，价格为合成（{gmv}）',
  'note.noToken': '此页面需要访问令牌：请打开 npm start 打印的大屏链接（…/#token=…）',
  'note.unauthorized': '访问令牌无效：请打开 npm start 打印的大屏链接',
  'unit.seconds': '秒',
  'unit.minutes': '分',
} as const;

export type LabelKey = keyof typeof zh;

const en: Record<LabelKey, string> = {
  title: 'ShopPulse Live Commerce',
  subtitle: '实时数据大屏',
  'lang.toggle': '中文',
  'clock.zone': 'Time zone',
  freshness: 'Data age',
  'freshness.none': 'no data',
  'state.connecting': 'Connecting',
  'state.live': 'Live',
  'state.reconnecting': 'Reconnecting',
  'state.stale': 'Stale',
  'state.unauthorized': 'Invalid token',
  'state.no-token': 'No token',
  'kpi.gmv': 'GMV today',
  'kpi.orders': 'Orders',
  'kpi.paid_orders': 'Paid orders',
  'kpi.pv': 'Page views',
  'kpi.uv': 'Visitors',
  'kpi.conversion_rate': 'Conversion',
  'kpi.avg_order_value': 'Avg order value',
  'kpi.visitors_5m': 'Visitors, last 5 min',
  'panel.traffic': 'Live traffic',
  'panel.traffic.sub': 'events/s · 15 min',
  'panel.hourly': 'By hour',
  'panel.hourly.sub': 'today vs yesterday',
  'panel.funnel': 'Funnel',
  'panel.funnel.sub': 'visitors today',
  'panel.map': 'Visitors by province',
  'panel.map.sub': 'today',
  'panel.products': 'Top 10 products',
  'panel.products.sub': 'by GMV',
  'panel.categories': 'Top 10 categories',
  'panel.categories.sub': 'by GMV',
  'panel.ticker': 'Live orders',
  'panel.ticker.sub': 'paid, last hour',
  'panel.audience': 'Devices & visitors',
  'panel.audience.sub': 'today',
  'panel.segments': 'RFM segments',
  'panel.channels': 'Traffic sources',
  'panel.channels.sub': 'visitors · GMV, last non-direct',
  'channels.unknown': 'Unknown',
  'channels.more': '{n} more',
  'panel.health': 'Pipeline',
  waiting: 'Waiting for data…',
  'no-data': 'No data',
  'traffic.now': 'Now',
  'traffic.peak': 'Peak',
  'traffic.perSecond': '/s',
  'type.page_view': 'Pages',
  'type.product_view': 'Products',
  'type.cart_add': 'Carts',
  'type.favorite_add': 'Favs',
  'type.order_submit': 'Orders',
  'type.order_pay': 'Paid',
  'type.other': 'Other',
  'hourly.gmvToday': 'GMV today',
  'hourly.gmvYesterday': 'GMV yesterday',
  'hourly.pvToday': 'PV today',
  'hourly.pvYesterday': 'PV yesterday',
  'hourly.vsYesterday': 'vs same time yesterday',
  'funnel.product_view': 'Viewed product',
  'funnel.cart_add': 'Added to cart',
  'funnel.order_submit': 'Submitted order',
  'funnel.order_pay': 'Paid',
  'funnel.rate': 'step',
  'map.visitors': 'visitors',
  'map.abroad': 'abroad',
  'map.unlocated': 'unlocated',
  'map.noLocated': 'No located visitors today',
  'ticker.empty': 'No paid orders in the last hour',
  'ticker.imported': 'imported',
  'audience.devices': 'Devices',
  'audience.browsers': 'Browsers',
  'audience.new': 'New',
  'audience.returning': 'Returning',
  'device.desktop': 'Desktop',
  'device.mobile': 'Mobile',
  'device.tablet': 'Tablet',
  'device.other': 'Other',
  'device.unknown': 'Unknown',
  'browser.other': 'Other',
  'browser.unknown': 'Unknown',
  'segments.notComputed': 'Not computed yet: shown once the rfm job has run',
  'segments.computedAt': 'computed',
  'segments.users': 'users',
  'health.eps': 'Events in /s',
  'health.failed': 'Failed today',
  'health.bots': 'Bots filtered today',
  'health.duplicates': 'Duplicates removed today',
  'health.lag': 'Consumer lag (msgs)',
  'health.unknown': 'n/a',
  'note.synthetic': 'incl. {orders} Taobao orders at synthetic prices ({gmv})',
  'note.noToken': 'This page needs an access token: open the wall URL that npm start prints (…/#token=…)',
  'note.unauthorized': 'Access token refused: open the wall URL that npm start prints',
  'unit.seconds': 's',
  'unit.minutes': 'min',
};

const LABELS: Record<Lang, Record<LabelKey, string>> = { zh, en };

export function t(lang: Lang, key: LabelKey, vars: Record<string, string> = {}): string {
  return LABELS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** True for a string that is a label key (the page's data-i18n attributes). */
export function isLabelKey(key: string): key is LabelKey {
  return Object.hasOwn(zh, key);
}

/** ?lang=en or #lang=en selects English; anything else Chinese. */
export function langFromLocation(location: { search: string; hash: string }): Lang {
  const fromSearch = new URLSearchParams(location.search).get('lang');
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('lang');
  return (fromSearch ?? fromHash) === 'en' ? 'en' : 'zh';
}

/** English names of the eight RFM segments, by their key (api/segments/rfm-segments.ts). */
const SEGMENT_EN: Record<string, string> = {
  important_value: 'Important value',
  important_develop: 'Important develop',
  important_retain: 'Important retain',
  important_win_back: 'Important win-back',
  general_value: 'General value',
  general_develop: 'General develop',
  general_retain: 'General retain',
  general_win_back: 'General win-back',
};

export function segmentLabel(lang: Lang, segment: { segment: string; key: string }): string {
  return lang === 'zh' ? segment.segment : (SEGMENT_EN[segment.key] ?? segment.key);
}

export function deviceLabel(lang: Lang, device: string): string {
  const key = `device.${device === '' ? 'unknown' : device}`;
  return isLabelKey(key) ? t(lang, key) : device;
}

export function browserLabel(lang: Lang, browser: string): string {
  if (browser === '') return t(lang, 'browser.unknown');
  if (browser === 'other') return t(lang, 'browser.other');
  return browser;
}
