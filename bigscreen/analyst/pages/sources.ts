// Sources: where visits and sales come from, per channel, source, medium or
// campaign (GET /api/analysis/sources), with paid orders, GMV and AOV under
// both attribution models side by side. A channel drills down to its sources,
// a source to its campaigns: the drill-down sets the channel/source filter
// (in the URL, so a drill-down can be bookmarked) and the next grouping.
import type { Sources } from '../api-types.ts';
import { filterParams } from '../filters.ts';
import { formatCount, formatPercent, formatYuan } from '../format.ts';
import { dataTable, type Column } from '../views/data-table.ts';
import { bi, button, field, h, select } from '../views/dom.ts';
import { linkButton, load, panel, type Page, type PageContext } from './page.ts';
import { SOURCE_GROUPS, type AttributionModel, type SourceGroup } from '../../../api/wire/params.ts';
import { CHANNEL_LABELS, isChannel } from '../../../collector/contract/traffic-sources.ts';

const GROUP_LABELS: Record<SourceGroup, string> = {
  channel: '渠道 Channel',
  source: '来源 Source',
  medium: '媒介 Medium',
  campaign: '活动 Campaign',
};

/** What a row of each grouping drills down to, and the filter its key sets. */
const DRILL: Partial<Record<SourceGroup, { filter: 'channel' | 'source'; next: SourceGroup }>> = {
  channel: { filter: 'channel', next: 'source' },
  source: { filter: 'source', next: 'campaign' },
};

type Row = Sources['rows'][number];

/** A row's key as shown: channels by their names, '' as not known (or no campaign). */
export function sourceKeyLabel(group: SourceGroup, key: string): string {
  if (key === '') return group === 'campaign' ? '(无活动 none)' : '(未知 not known)';
  if (group === 'channel' && isChannel(key)) return `${CHANNEL_LABELS[key].zh} ${CHANNEL_LABELS[key].en}`;
  return key;
}

export const sourcesPage: Page = {
  id: 'sources',
  scope: 'all',
  render(root, ctx) {
    const asked = ctx.params.get('group_by') ?? '';
    const group: SourceGroup = (SOURCE_GROUPS as readonly string[]).includes(asked) ? (asked as SourceGroup) : 'channel';
    root.append(sourcesPanel(ctx, group));
  },
};

function sourcesPanel(ctx: PageContext, group: SourceGroup): HTMLElement {
  const groupSelect = select(SOURCE_GROUPS.map((g) => [g, GROUP_LABELS[g]] as const), group, 'group_by');
  groupSelect.addEventListener('change', () => ctx.navigate('sources', { group_by: groupSelect.value }));
  const trail: HTMLElement[] = [];
  for (const key of ['channel', 'source', 'campaign'] as const) {
    const value = ctx.filters[key];
    if (value === '') continue;
    trail.push(
      h('span', { class: 'chip', data: { drill: key } }, `${GROUP_LABELS[key]}: ${sourceKeyLabel(key, value)} `, button('×', () => ctx.navigate('sources', { group_by: key, [key]: '' }), 'btn btn-small')),
    );
  }
  const controls = h('div', { class: 'controls' }, field(bi('分组', 'Group by'), groupSelect), ...trail);
  const body = h('div', { data: { section: 'sources' } });
  void load(body, ctx, async (out) => {
    const reply = await ctx.api.get<Sources>('/api/analysis/sources', { ...filterParams(ctx.filters, Date.now()), group_by: group, limit: 1000 }, ctx.signal);
    const drill = DRILL[group];
    const sales = (model: AttributionModel, zh: string, en: string): Array<Column<Row>> => [
      { key: `${model}_paid_orders`, label: `${zh}订单 ${en} orders`, value: (r) => r[model].paid_orders, numeric: true },
      { key: `${model}_gmv`, label: `${zh}成交额 ${en} GMV`, value: (r) => r[model].gmv, render: (r) => formatYuan(r[model].gmv), numeric: true },
      { key: `${model}_aov`, label: `${zh}客单价 ${en} AOV`, value: (r) => r[model].avg_order_value, render: (r) => formatYuan(r[model].avg_order_value), numeric: true },
    ];
    out.append(
      h(
        'p',
        { class: 'muted' },
        `会话按其来源计；订单按两种模型各归因一次：末次非直接（${reply.lookback_days} 天回溯）与首次触点。 ` +
          `Sessions count under their own touch; each paid order is credited once per model: last non-direct (${reply.lookback_days}-day lookback) and first touch.`,
      ),
      dataTable({
        name: 'sources',
        csvName: `sources-by-${group}`,
        rows: reply.rows,
        columns: [
          {
            key: 'key',
            label: GROUP_LABELS[group],
            value: (r) => r.key,
            render: (r) =>
              drill && r.key !== '' ? linkButton(sourceKeyLabel(group, r.key), () => ctx.navigate('sources', { group_by: drill.next, [drill.filter]: r.key }), 'source') : sourceKeyLabel(group, r.key),
          },
          { key: 'visitors', label: '访客 Visitors', value: (r) => r.visitors, render: (r) => formatCount(r.visitors), numeric: true },
          { key: 'sessions', label: '会话 Sessions', value: (r) => r.sessions, render: (r) => formatCount(r.sessions), numeric: true },
          { key: 'bounce_rate', label: '跳出率 Bounce', value: (r) => r.bounce_rate, render: (r) => formatPercent(r.bounce_rate), numeric: true },
          { key: 'session_conversion_rate', label: '会话转化 Session conv.', value: (r) => r.session_conversion_rate, render: (r) => formatPercent(r.session_conversion_rate), numeric: true },
          ...sales('last_non_direct', '末次', 'Last'),
          ...sales('first_touch', '首次', 'First'),
        ],
      }).element,
    );
  });
  return panel('流量来源与归因', 'Traffic sources and attribution', controls, body);
}
