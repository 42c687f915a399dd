// Overview: the KPIs, the time series, rankings, provinces, the day × hour
// heat map and repurchase under the filters, and the analytics jobs.
import type { CategoryRanking, Heatmap, Jobs, JobStatus, Overview, ProductRanking, Provinces, Repurchase, TimeSeries } from '../api-types.ts';
import { dayHourOption } from '../charts/day-hour-option.ts';
import { timeSeriesOption } from '../charts/timeseries-option.ts';
import { filterParams, pickGranularity } from '../filters.ts';
import { formatCount, formatDateTime, formatDecimal, formatPercent, formatYuan } from '../format.ts';
import { createChart } from '../views/chart.ts';
import { dataTable, type Column } from '../views/data-table.ts';
import { ApiError } from '../api-client.ts';
import { bi, button, errorBox, field, h, select } from '../views/dom.ts';
import { isAbort, linkButton, load, panel, statCards, type Page, type PageContext } from './page.ts';
import { RANKING_SORTS } from '../../../api/wire/params.ts';

type Sort = (typeof RANKING_SORTS)[number];

const SORT_LABELS: Record<Sort, string> = {
  views: '浏览 Views',
  cart_adds: '加购 Cart adds',
  favorites: '收藏 Favourites',
  orders: '订单 Orders',
  units: '件数 Units',
  gmv: '成交额 GMV',
  conversion_rate: '转化率 Conversion',
};

export const overviewPage: Page = {
  id: 'overview',
  scope: 'all',
  render(root, ctx) {
    const params = () => filterParams(ctx.filters, Date.now());
    root.append(kpiPanel(ctx, params), seriesPanel(ctx), rankingPanel(ctx, 'products'), rankingPanel(ctx, 'categories'), provincesPanel(ctx), heatmapPanel(ctx), repurchasePanel(ctx), jobsPanel(ctx));
  },
};

function kpiPanel(ctx: PageContext, params: () => Record<string, string>): HTMLElement {
  const body = h('div', { data: { section: 'kpis' } });
  void load(body, ctx, async (out) => {
    const o = await ctx.api.get<Overview>('/api/analysis/overview', params(), ctx.signal);
    out.append(
      statCards([
        { key: 'pv', zh: '浏览量', en: 'PV', value: formatCount(o.pv) },
        { key: 'uv', zh: '访客', en: 'UV', value: formatCount(o.uv) },
        { key: 'sessions', zh: '会话', en: 'Sessions', value: formatCount(o.sessions) },
        { key: 'events', zh: '事件', en: 'Events', value: formatCount(o.events) },
        { key: 'product_views', zh: '商品浏览', en: 'Product views', value: formatCount(o.product_views) },
        { key: 'cart_adds', zh: '加购', en: 'Cart adds', value: formatCount(o.cart_adds) },
        { key: 'favorites', zh: '收藏', en: 'Favourites', value: formatCount(o.favorites) },
        { key: 'orders', zh: '下单', en: 'Orders', value: formatCount(o.orders) },
        { key: 'paid_orders', zh: '支付订单', en: 'Paid orders', value: formatCount(o.paid_orders) },
        { key: 'gmv', zh: '成交额', en: 'GMV', value: formatYuan(o.gmv) },
        { key: 'buyers', zh: '买家', en: 'Buyers', value: formatCount(o.buyers) },
        { key: 'conversion_rate', zh: '转化率', en: 'Conversion', value: formatPercent(o.conversion_rate) },
        { key: 'avg_order_value', zh: '客单价', en: 'Avg order value', value: formatYuan(o.avg_order_value) },
      ]),
    );
  });
  return panel('核心指标', 'Key figures', body);
}

function seriesPanel(ctx: PageContext): HTMLElement {
  const granularity = pickGranularity(ctx.filters, Date.now());
  const chart = createChart('timeseries', 300, ctx.onDispose);
  const body = h('div', { data: { section: 'timeseries' } }, chart.element);
  void load(body, ctx, async (out) => {
    const ts = await ctx.api.get<TimeSeries>('/api/analysis/timeseries', { ...filterParams(ctx.filters, Date.now()), granularity }, ctx.signal);
    ctx.learnTimeZone(ts.time_zone);
    chart.set(timeSeriesOption(ts.points));
  });
  return panel('趋势', `Trend · per ${granularity}`, body);
}

function rankingPanel(ctx: PageContext, kind: 'products' | 'categories'): HTMLElement {
  const memoryKey = `${kind}-sort`;
  const sort = (ctx.memory[memoryKey] as Sort | undefined) ?? 'gmv';
  const body = h('div', { data: { section: `top-${kind}` } });
  const sortSelect = select(RANKING_SORTS.map((s) => [s, SORT_LABELS[s]] as const), sort);
  const controls = h('div', { class: 'controls' }, field(bi('排序', 'Rank by'), sortSelect));
  const fill = () => {
    body.replaceChildren();
    void load(body, ctx, async (out) => {
      const query = { ...filterParams(ctx.filters, Date.now()), sort: sortSelect.value, limit: 20 };
      if (kind === 'products') {
        const reply = await ctx.api.get<ProductRanking>('/api/analysis/top-products', query, ctx.signal);
        out.append(
          dataTable({
            name: 'top-products',
            csvName: 'top-products',
            rows: reply.products,
            columns: [
              {
                key: 'product_id',
                label: '商品 Product',
                value: (r) => r.product_id,
                render: (r) => linkButton(r.product_id, () => ctx.navigate('recommendations', { product: r.product_id }), 'product'),
              },
              { key: 'name', label: '名称 Name', value: (r) => r.name },
              { key: 'category_id', label: '品类 Category', value: (r) => r.category_id },
              ...metricColumns<ProductRanking['products'][number]>(),
            ],
          }).element,
        );
      } else {
        const reply = await ctx.api.get<CategoryRanking>('/api/analysis/top-categories', query, ctx.signal);
        out.append(
          dataTable({
            name: 'top-categories',
            csvName: 'top-categories',
            rows: reply.categories,
            columns: [
              { key: 'category_id', label: '品类 Category', value: (r) => r.category_id },
              { key: 'products', label: '商品数 Products', value: (r) => r.products, numeric: true },
              ...metricColumns<CategoryRanking['categories'][number]>(),
            ],
          }).element,
        );
      }
    });
  };
  sortSelect.addEventListener('change', () => {
    ctx.memory[memoryKey] = sortSelect.value;
    fill();
  });
  fill();
  return kind === 'products' ? panel('热门商品', 'Top products', controls, body) : panel('热门品类', 'Top categories', controls, body);
}

type Metrics = Pick<ProductRanking['products'][number], 'views' | 'viewers' | 'cart_adds' | 'favorites' | 'orders' | 'units' | 'gmv' | 'conversion_rate'>;

function metricColumns<R extends Metrics>(): Array<Column<R>> {
  return [
    { key: 'views', label: '浏览 Views', value: (r) => r.views, numeric: true },
    { key: 'viewers', label: '浏览人数 Viewers', value: (r) => r.viewers, numeric: true },
    { key: 'cart_adds', label: '加购 Carts', value: (r) => r.cart_adds, numeric: true },
    { key: 'favorites', label: '收藏 Favs', value: (r) => r.favorites, numeric: true },
    { key: 'orders', label: '订单 Orders', value: (r) => r.orders, numeric: true },
    { key: 'units', label: '件数 Units', value: (r) => r.units, numeric: true },
    { key: 'gmv', label: '成交额 GMV', value: (r) => r.gmv, render: (r) => formatYuan(r.gmv), numeric: true },
    { key: 'conversion_rate', label: '转化率 Conv.', value: (r) => r.conversion_rate, render: (r) => formatPercent(r.conversion_rate), numeric: true },
  ];
}

function provincesPanel(ctx: PageContext): HTMLElement {
  const body = h('div', { data: { section: 'provinces' } });
  void load(body, ctx, async (out) => {
    const reply = await ctx.api.get<Provinces>('/api/analysis/provinces', filterParams(ctx.filters, Date.now()), ctx.signal);
    out.append(
      dataTable({
        name: 'provinces',
        csvName: 'provinces',
        rows: reply.provinces,
        sort: { key: 'visitors', direction: 'desc' },
        maxRows: 40,
        columns: [
          { key: 'province', label: '省份 Province', value: (r) => r.province, render: (r) => (r.province === '' ? '未知 unknown' : r.province) },
          { key: 'visitors', label: '访客 Visitors', value: (r) => r.visitors, numeric: true },
          { key: 'pv', label: '浏览量 PV', value: (r) => r.pv, numeric: true },
          { key: 'paid_orders', label: '支付订单 Paid', value: (r) => r.paid_orders, numeric: true },
          { key: 'gmv', label: '成交额 GMV', value: (r) => r.gmv, render: (r) => formatYuan(r.gmv), numeric: true },
          { key: 'conversion_rate', label: '转化率 Conv.', value: (r) => r.conversion_rate, render: (r) => formatPercent(r.conversion_rate), numeric: true },
        ],
      }).element,
    );
  });
  return panel('地域分布', 'Provinces', body);
}

function heatmapPanel(ctx: PageContext): HTMLElement {
  const chart = createChart('day-hour', 280, ctx.onDispose);
  const body = h('div', { data: { section: 'heatmap' } }, chart.element);
  void load(body, ctx, async (out) => {
    const reply = await ctx.api.get<Heatmap>('/api/analysis/heatmap', { ...filterParams(ctx.filters, Date.now()), day: 'weekday' }, ctx.signal);
    ctx.learnTimeZone(reply.time_zone);
    chart.set(dayHourOption(reply.cells));
  });
  return panel('活跃时段', 'Weekday × hour', body);
}

function repurchasePanel(ctx: PageContext): HTMLElement {
  const body = h('div', { data: { section: 'repurchase' } });
  void load(body, ctx, async (out) => {
    const r = await ctx.api.get<Repurchase>('/api/analysis/repurchase', filterParams(ctx.filters, Date.now()), ctx.signal);
    out.append(
      statCards([
        { key: 'buyers', zh: '买家', en: 'Buyers', value: formatCount(r.buyers) },
        { key: 'repeat_buyers', zh: '复购买家', en: 'Repeat buyers', value: formatCount(r.repeat_buyers) },
        { key: 'repurchase_rate', zh: '复购率', en: 'Repurchase rate', value: formatPercent(r.repurchase_rate) },
        { key: 'orders_per_buyer', zh: '人均订单', en: 'Orders / buyer', value: formatDecimal(r.orders_per_buyer, 2) },
      ]),
      dataTable({
        name: 'repurchase',
        rows: r.distribution,
        maxRows: 12,
        columns: [
          { key: 'orders', label: '支付订单数 Paid orders', value: (d) => d.orders, numeric: true },
          { key: 'buyers', label: '买家 Buyers', value: (d) => d.buyers, numeric: true },
        ],
      }).element,
    );
  });
  return panel('复购', 'Repurchase', body);
}

function jobsPanel(ctx: PageContext): HTMLElement {
  const body = h('div', { data: { section: 'jobs' } });
  const fill = () => {
    body.replaceChildren();
    void load(body, ctx, async (out) => {
      const { jobs } = await ctx.api.get<Jobs>('/api/jobs', {}, ctx.signal);
      const tz = ctx.timeZone();
      out.append(
        dataTable<JobStatus>({
          name: 'jobs',
          rows: jobs,
          columns: [
            { key: 'name', label: '作业 Job', value: (j) => j.name },
            { key: 'description', label: '说明 What', value: (j) => j.description },
            { key: 'last_finished_at', label: '上次完成 Last finished', value: (j) => j.last_finished_at, render: (j) => formatDateTime(j.last_finished_at, tz) },
            { key: 'last_ms', label: '耗时 ms', value: (j) => j.last_ms, numeric: true },
            { key: 'last_rows', label: '行数 Rows', value: (j) => j.last_rows, numeric: true },
            {
              key: 'last_peak_memory_bytes',
              label: '峰值内存 Peak MiB',
              value: (j) => j.last_peak_memory_bytes,
              render: (j) => (j.last_peak_memory_bytes === null ? '' : (j.last_peak_memory_bytes / 2 ** 20).toFixed(0)),
              numeric: true,
            },
            { key: 'last_error', label: '错误 Error', value: (j) => j.last_error ?? '' },
            {
              key: 'run',
              label: '',
              sortable: false,
              value: () => '',
              render: (j) =>
                button(j.running ? '运行中 Running' : '运行 Run', () => {
                  // Waits for the run (POST answers when it is done), then shows the new status.
                  body.replaceChildren();
                  body.dataset.state = 'loading';
                  ctx.api.post(`/api/jobs/${encodeURIComponent(j.name)}/run`, undefined, ctx.signal).then(
                    () => fill(),
                    (err: unknown) => {
                      if (isAbort(err) || ctx.signal.aborted) return;
                      if (err instanceof ApiError && err.unauthorized) return ctx.signOut(err.message);
                      fill();
                      body.prepend(errorBox(`${j.name}: ${err instanceof Error ? err.message : String(err)}`));
                    },
                  );
                }, 'btn btn-small', { 'data-job': j.name }),
            },
          ],
        }).element,
      );
    });
  };
  fill();
  return panel('分析作业', 'Analytics jobs', body);
}
