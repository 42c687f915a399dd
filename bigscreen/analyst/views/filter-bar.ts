// The filter bar: time range (relative or custom), category, province,
// device, new/returning visitors, channel, source, campaign. Applying writes them to the URL fragment;
// the shell re-renders the page from there. Category and province suggestions
// come from the API (top categories by views, provinces by visitors).
import type { ApiClient } from '../api-client.ts';
import type { CategoryRanking, Provinces } from '../api-types.ts';
import { DEFAULT_FILTERS, DEVICES, TIME_RANGES, type FilterScope, type Filters, type TimeRange, type VisitorKind } from '../filters.ts';
import { bi, button, field, h, input, select } from './dom.ts';
import { CHANNEL_LABELS, CHANNELS } from '../../../collector/contract/traffic-sources.ts';

const RANGE_LABELS: Record<TimeRange, string> = {
  all: '全部 All time',
  '1h': '近 1 小时 Last hour',
  '24h': '近 24 小时 Last 24 h',
  '7d': '近 7 天 Last 7 days',
  '30d': '近 30 天 Last 30 days',
  custom: '自定义 Custom',
};

export interface FilterBar {
  element: HTMLElement;
  show(filters: Filters, scope: FilterScope | 'none'): void;
}

export function createFilterBar(api: ApiClient, onApply: (filters: Filters) => void): FilterBar {
  const range = select(TIME_RANGES.map((r) => [r, RANGE_LABELS[r]] as const), 'all', 'range');
  const from = input('datetime-local', '', { 'data-field': 'from' });
  const to = input('datetime-local', '', { 'data-field': 'to' });
  const categories = h('datalist', { attrs: { id: 'category-options' } });
  const provinces = h('datalist', { attrs: { id: 'province-options' } });
  const category = input('text', '', { list: 'category-options', placeholder: '全部 any', 'data-field': 'category', maxlength: '128' });
  const province = input('text', '', { list: 'province-options', placeholder: '全部 any', 'data-field': 'province', maxlength: '128' });
  const device = select([['', '全部 Any'], ...DEVICES.map((d) => [d, d] as const)], '', 'device');
  const visitor = select(
    [
      ['all', '全部 All'],
      ['new', '新访客 New'],
      ['returning', '老访客 Returning'],
    ],
    'all',
    'visitor',
  );
  const channel = select([['', '全部 Any'], ...CHANNELS.map((c) => [c, `${CHANNEL_LABELS[c].zh} ${CHANNEL_LABELS[c].en}`] as const)], '', 'channel');
  const source = input('text', '', { placeholder: '全部 any', 'data-field': 'source', maxlength: '128' });
  const campaign = input('text', '', { placeholder: '全部 any', 'data-field': 'campaign', maxlength: '128' });
  const customFields = h('span', { class: 'custom-range' }, field(bi('从', 'From'), from), field(bi('到', 'To'), to));
  const dimensionFields = h('span', { class: 'dimension-fields' }, field(bi('品类', 'Category'), category), field(bi('省份', 'Province'), province), field(bi('设备', 'Device'), device), field(bi('访客', 'Visitors'), visitor), field(bi('渠道', 'Channel'), channel), field(bi('来源', 'Source'), source), field(bi('活动', 'Campaign'), campaign));
  const scopeNote = h('span', { class: 'muted scope-note' });
  const read = (): Filters => ({
    range: range.value as TimeRange,
    from: range.value === 'custom' ? from.value : '',
    to: range.value === 'custom' ? to.value : '',
    category: category.value.trim(),
    province: province.value.trim(),
    device: device.value,
    visitor: visitor.value as VisitorKind,
    channel: channel.value,
    source: source.value.trim(),
    campaign: campaign.value.trim(),
  });
  const apply = () => onApply(read());
  const form = h(
    'form',
    { class: 'filter-bar', data: { section: 'filters' }, attrs: { autocomplete: 'off' }, on: { submit: (e) => (e.preventDefault(), apply()) } },
    field(bi('时间', 'Time range'), range),
    customFields,
    dimensionFields,
    h('button', { class: 'btn btn-primary', attrs: { type: 'submit', 'data-action': 'apply-filters' } }, bi('应用', 'Apply')),
    button(bi('重置', 'Reset'), () => onApply({ ...DEFAULT_FILTERS }), 'btn'),
    scopeNote,
    categories,
    provinces,
  );
  range.addEventListener('change', () => {
    customFields.hidden = range.value !== 'custom';
  });

  let suggested = false;
  async function loadSuggestions(): Promise<void> {
    if (suggested) return;
    suggested = true;
    try {
      const [cats, provs] = await Promise.all([
        api.get<CategoryRanking>('/api/analysis/top-categories', { sort: 'views', limit: 100 }),
        api.get<Provinces>('/api/analysis/provinces'),
      ]);
      categories.replaceChildren(...cats.categories.map((c) => h('option', { attrs: { value: c.category_id } })));
      provinces.replaceChildren(...provs.provinces.filter((p) => p.province !== '').map((p) => h('option', { attrs: { value: p.province } })));
    } catch {
      // Suggestions are a convenience: typing a value still works.
      suggested = false;
    }
  }

  return {
    element: form,
    show(filters, scope) {
      form.hidden = scope === 'none';
      range.value = filters.range;
      from.value = filters.from;
      to.value = filters.to;
      customFields.hidden = filters.range !== 'custom';
      category.value = filters.category;
      province.value = filters.province;
      device.value = filters.device;
      visitor.value = filters.visitor;
      channel.value = filters.channel;
      source.value = filters.source;
      campaign.value = filters.campaign;
      dimensionFields.hidden = scope === 'time';
      scopeNote.textContent = scope === 'time' ? '此页只按时间筛选（选择群组） This page filters by time only (which cohorts).' : '时间按服务器时区 (TIME_ZONE) 解读 Times are read in the server time zone (TIME_ZONE).';
      if (scope !== 'none') void loadSuggestions();
    },
  };
}
