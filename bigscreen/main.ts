// Wires the /live feed to the wall's panels. Formatting and option building
// live in charts/ (pure), the socket in live/, DOM pieces in views/.
import { BarChart, FunnelChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { LiveSnapshot } from '../api/wire/live-snapshot.ts';
import { audienceOption, visitorSplit } from './charts/audience.ts';
import { formatCountCompact, formatYuanCompact, type Lang } from './charts/compact-format.ts';
import { epsSummary, trafficOption } from './charts/eps-line.ts';
import { formatClockTime, formatPercent } from './charts/format.ts';
import { funnelOption } from './charts/funnel.ts';
import { hourlyChanges, hourlyOption } from './charts/hourly.ts';
import { isLabelKey, langFromLocation, t } from './charts/i18n.ts';
import { CHINA_MAP, provinceBarOption, provinceMapOption } from './charts/province-map.ts';
import { segmentsOption } from './charts/segments.ts';
import { CHANNEL_ROWS, channelsOption } from './charts/channels.ts';
import { categoryRows, productRows, rankingOption } from './charts/top-products.ts';
import type { FeedData } from './live/feed-state.ts';
import { createLiveFeed, liveUrl, type ConnectionState } from './live/live-feed.ts';
import { tokenFromFragment } from './live/wall-token.ts';
import { createChartPanel, type ChartPanel } from './views/chart-panel.ts';
import { fitStage, stageTransform } from './views/fit-stage.ts';
import { createHealthStrip } from './views/health-strip.ts';
import { createKpiRow } from './views/kpi-row.ts';
import { renderClock, renderFreshness, showConnectionState, type ShownState } from './views/status-bar.ts';
import { createTicker } from './views/ticker.ts';

// SVG rather than canvas: the stage is scaled with a CSS transform, and SVG
// stays sharp at any scale where a canvas would be blurry on a 4K TV.
echarts.use([
  LineChart,
  FunnelChart,
  BarChart,
  PieChart,
  MapChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

/** No update for this long shows the wall as stale. */
const STALE_AFTER_MS = 5_000;

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`bigscreen: #${id} missing from index.html`);
  return el;
}

const stage = byId('stage');
const connection = byId('connection');
const freshness = byId('freshness');
const freshnessValue = byId('freshness-value');
const notice = byId('notice');
const clock = { dateEl: byId('clock-date'), timeEl: byId('clock-time'), zoneEl: byId('clock-zone') };

let lang: Lang = langFromLocation(window.location);
let current: FeedData | null = null;
let receivedAtMs = 0;
let feedState: ConnectionState | 'no-token' = 'connecting';

const init = (el: HTMLElement) => echarts.init(el, null, { renderer: 'svg' });
const kpis = createKpiRow(byId('kpis'));
document.querySelector('[data-kpi-card="gmv"]')?.append(byId('synthetic-note'));
const ticker = createTicker(byId('ticker-list'), byId('ticker-empty'));
const updateHealth = createHealthStrip(byId('health'));
const panels = {
  traffic: createChartPanel(byId('chart-traffic'), init, (eps: LiveSnapshot['eps'], l) => trafficOption(eps, current?.snapshot.time_zone ?? 'UTC', l)),
  hourly: createChartPanel(byId('chart-hourly'), init, hourlyOption),
  funnel: createChartPanel(byId('chart-funnel'), init, funnelOption),
  products: createChartPanel(byId('chart-products'), init, (p: LiveSnapshot['top_products'], l) => rankingOption(productRows(p), l)),
  categories: createChartPanel(byId('chart-categories'), init, (c: LiveSnapshot['top_categories'], l) => rankingOption(categoryRows(c, l), l)),
  provinceBar: createChartPanel(byId('chart-province-bar'), init, provinceBarOption),
  audience: createChartPanel(byId('chart-audience'), init, audienceOption),
  segments: createChartPanel(byId('chart-segments'), init, segmentsOption),
  channels: createChartPanel(byId('chart-channels'), init, channelsOption),
};
// The map's GeoJSON is a chunk of its own, loaded after the first paint.
let provinceMap: ChartPanel<LiveSnapshot['provinces']> | null = null;
void import('./charts/china-geo.ts').then(
  ({ china }) => {
    echarts.registerMap(CHINA_MAP, { geoJSON: china as never, specialAreas: {} });
    provinceMap = createChartPanel(byId('chart-map'), init, provinceMapOption);
    if (current) provinceMap.update(current.snapshot.provinces, lang);
  },
  (err: unknown) => console.warn('bigscreen: could not load the province map', err),
);

function fitToWindow(): void {
  stage.style.transform = stageTransform(fitStage(window.innerWidth, window.innerHeight));
}
window.addEventListener('resize', fitToWindow);
fitToWindow();

function setText(id: string, text: string): void {
  const el = byId(id);
  if (el.textContent !== text) el.textContent = text;
}

function applyStaticLabels(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t(lang, 'title');
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n ?? '';
    if (isLabelKey(key)) el.textContent = t(lang, key);
  }
}

function render(data: FeedData): void {
  const s = data.snapshot;
  stage.dataset.seq = String(data.seq);
  stage.dataset.hasData = 'true';
  kpis.update(s.today, lang);
  panels.traffic.update(s.eps, lang);
  const eps = epsSummary(s.eps);
  setText('eps-now', eps.current === null ? '—' : `${eps.current.toFixed(1)}${t(lang, 'traffic.perSecond')}`);
  setText('eps-peak', eps.peak === null ? '—' : `${eps.peak.toFixed(1)}${t(lang, 'traffic.perSecond')}`);
  panels.hourly.update(s.hourly, lang);
  const changes = hourlyChanges(s.hourly);
  setText('hourly-change', `${t(lang, 'hourly.vsYesterday')}  GMV ${changes.gmv ?? '—'} · PV ${changes.pv ?? '—'}`);
  panels.funnel.update(s.funnel, lang);
  panels.products.update(s.top_products, lang);
  panels.categories.update(s.top_categories, lang);
  panels.provinceBar.update(s.provinces, lang);
  provinceMap?.update(s.provinces, lang);
  setText(
    'map-meta',
    `${t(lang, 'map.abroad')} ${formatCountCompact(s.provinces.abroad_visitors, lang)} · ${t(lang, 'map.unlocated')} ${formatCountCompact(s.provinces.unlocated_visitors, lang)}`,
  );
  ticker.update(s.orders, s.time_zone, lang);
  panels.audience.update(s.audience, lang);
  const split = visitorSplit(s.audience);
  const anyVisitors = s.audience.new_visitors + s.audience.returning_visitors > 0;
  byId('split-new').style.flexGrow = String(anyVisitors ? split.newShare : 1);
  byId('split-returning').style.flexGrow = String(anyVisitors ? split.returningShare : 1);
  setText('split-new', `${t(lang, 'audience.new')} ${formatPercent(split.newShare, 0)} · ${formatCountCompact(s.audience.new_visitors, lang)}`);
  setText('split-returning', `${t(lang, 'audience.returning')} ${formatPercent(split.returningShare, 0)} · ${formatCountCompact(s.audience.returning_visitors, lang)}`);
  panels.channels.update(s.channels, lang);
  const hidden = s.channels.length - CHANNEL_ROWS;
  setText('channels-meta', hidden > 0 ? t(lang, 'channels.more', { n: String(hidden) }) : '');
  panels.segments.update(s.segments, lang);
  setText(
    'segments-meta',
    s.segments ? `${t(lang, 'segments.computedAt')} ${formatClockTime(s.segments.computed_at, s.time_zone).slice(0, 5)} · ${formatCountCompact(s.segments.users, lang)} ${t(lang, 'segments.users')}` : '',
  );
  updateHealth(s.pipeline, lang);
  const note = byId('synthetic-note');
  note.hidden = s.synthetic_prices.orders === 0;
  setText('synthetic-note', s.synthetic_prices.orders === 0 ? '' : t(lang, 'note.synthetic', {
    orders: formatCountCompact(s.synthetic_prices.orders, lang),
    gmv: formatYuanCompact(s.synthetic_prices.gmv, lang),
  }));
}

/** Once a second: clock, data age, and whether the wall is stale. */
function tick(): void {
  const now = Date.now();
  const s = current?.snapshot;
  renderClock(clock, now, s?.time_zone, lang);
  renderFreshness(freshness, freshnessValue, s ? { lastEventAt: s.last_event_at, generatedAt: s.generated_at, receivedAtMs } : null, now, lang);
  const stale = current !== null && now - receivedAtMs > STALE_AFTER_MS;
  if (stale) stage.dataset.stale = 'true';
  else delete stage.dataset.stale;
  const shown: ShownState = stale && feedState === 'live' ? 'stale' : feedState;
  showConnectionState(connection, shown, lang);
  const message = feedState === 'no-token' ? t(lang, 'note.noToken') : feedState === 'unauthorized' ? t(lang, 'note.unauthorized') : '';
  notice.hidden = message === '';
  if (notice.textContent !== message) notice.textContent = message;
}

function setLang(next: Lang): void {
  lang = next;
  applyStaticLabels();
  const url = new URL(window.location.href);
  url.searchParams.set('lang', next);
  window.history.replaceState(null, '', url);
  if (current) render(current);
  tick();
}

byId('lang-toggle').addEventListener('click', () => setLang(lang === 'zh' ? 'en' : 'zh'));
window.addEventListener('keydown', (ev) => {
  if (ev.key === 'l' || ev.key === 'L') setLang(lang === 'zh' ? 'en' : 'zh');
});

applyStaticLabels();
const token = tokenFromFragment(window.location.hash);
if (token === null) {
  feedState = 'no-token';
} else {
  const feed = createLiveFeed({
    url: liveUrl(window.location),
    token,
    onData: (data) => {
      current = data;
      receivedAtMs = Date.now();
      render(data);
      tick();
    },
    onStateChange: (state) => {
      feedState = state;
      tick();
    },
    onWarn: (message, detail) => console.warn(`bigscreen: ${message}`, detail),
  });
  feedState = feed.getState();
  feed.start();
}
tick();
setInterval(tick, 1000);
