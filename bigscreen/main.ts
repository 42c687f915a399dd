// Wires the /live feed to the KPI row and the charts. All formatting and
// option building lives in charts/, the socket in live/.
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { LiveSnapshot } from '../api/live/snapshot.ts';
import { epsLineOption, epsSummary } from './charts/eps-line.ts';
import { formatClockTime, formatCount } from './charts/format.ts';
import { funnelOption } from './charts/funnel.ts';
import { topProductsOption } from './charts/top-products.ts';
import { createLiveFeed, liveUrl } from './live/live-feed.ts';
import { fitStage, stageTransform } from './views/fit-stage.ts';
import { createKpiRow } from './views/kpi-row.ts';
import { showConnectionState, startClock } from './views/status-bar.ts';

// SVG rather than canvas: the stage is scaled with a CSS transform, and SVG
// stays sharp at any scale where a canvas would be blurry on a 4K TV.
echarts.use([LineChart, FunnelChart, BarChart, GridComponent, TitleComponent, SVGRenderer]);

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`bigscreen: #${id} missing from index.html`);
  return el;
}

const stage = byId('stage');
const connection = byId('connection');
const updatedAt = byId('updated-at');
const epsNow = byId('eps-now');
const epsPeak = byId('eps-peak');
const epsWindow = byId('eps-window');

const charts = [
  { chart: echarts.init(byId('chart-eps'), null, { renderer: 'svg' }), build: epsLineOption },
  { chart: echarts.init(byId('chart-funnel'), null, { renderer: 'svg' }), build: funnelOption },
  { chart: echarts.init(byId('chart-top'), null, { renderer: 'svg' }), build: (s: LiveSnapshot) => topProductsOption(s) },
];

function fitToWindow(): void {
  stage.style.transform = stageTransform(fitStage(window.innerWidth, window.innerHeight));
  // The containers keep their 1920×1080 layout size under the transform, so
  // this only matters if CSS changes a panel's size; it is cheap either way.
  for (const { chart } of charts) chart.resize();
}
window.addEventListener('resize', fitToWindow);
fitToWindow();

const updateKpis = createKpiRow(byId('kpi-hero'), byId('kpi-grid'));
let timeZone: string | undefined;
startClock(byId('clock-date'), byId('clock-time'), () => timeZone);

function render(snapshot: LiveSnapshot): void {
  timeZone = snapshot.time_zone;
  stage.dataset.hasData = 'true';
  updateKpis(snapshot);
  // Merge into the existing instances (no notMerge): series keep their ids,
  // so ECharts tweens from the previous second instead of redrawing.
  for (const { chart, build } of charts) chart.setOption(build(snapshot));
  const { current, peak } = epsSummary(snapshot);
  epsNow.textContent = current === null ? '—' : formatCount(current);
  epsPeak.textContent = peak === null ? '—' : formatCount(peak);
  epsWindow.textContent = String(snapshot.eps.window_seconds);
  updatedAt.textContent = formatClockTime(snapshot.generated_at, snapshot.time_zone);
}

const feed = createLiveFeed({
  url: liveUrl(window.location),
  onSnapshot: render,
  onStateChange: (state) => showConnectionState(connection, state),
  onWarn: (message, detail) => console.warn(`bigscreen: ${message}`, detail),
});
showConnectionState(connection, feed.getState());
feed.start();
