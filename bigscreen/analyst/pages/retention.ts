// Retention: day-N activity of first-visit or first-purchase cohorts as a heat
// map and a table (GET /api/analysis/retention; the time filter picks cohorts).
import type { Cohort, Retention } from '../api-types.ts';
import { retentionOption } from '../charts/retention-option.ts';
import { filterParams } from '../filters.ts';
import { formatCount, formatPercent } from '../format.ts';
import { createChart } from '../views/chart.ts';
import { dataTable, type Column } from '../views/data-table.ts';
import { bi, button, field, h, input, select } from '../views/dom.ts';
import { load, panel, type Page } from './page.ts';
import { ACTIVITY_KINDS, COHORT_KINDS, MAX_RETENTION_DAYS } from '../../../api/wire/params.ts';

const COHORT_LABELS: Record<(typeof COHORT_KINDS)[number], string> = { first_visit: '首次访问 First visit', first_purchase: '首次购买 First purchase' };
const ACTIVITY_LABELS: Record<(typeof ACTIVITY_KINDS)[number], string> = { any: '任意事件 Any event', purchase: '支付 A paid order' };

interface RetentionMemory {
  cohort: string;
  activity: string;
  days: string;
}

export const retentionPage: Page = {
  id: 'retention',
  scope: 'time',
  render(root, ctx) {
    const memory = ((ctx.memory.retention as RetentionMemory | undefined) ??= { cohort: 'first_visit', activity: 'any', days: '7' });
    const cohortSelect = select(COHORT_KINDS.map((k) => [k, COHORT_LABELS[k]] as const), memory.cohort, 'cohort');
    const activitySelect = select(ACTIVITY_KINDS.map((k) => [k, ACTIVITY_LABELS[k]] as const), memory.activity, 'activity');
    const daysInput = input('number', memory.days, { min: '1', max: String(MAX_RETENTION_DAYS), step: '1', 'data-field': 'days' });
    const chart = createChart('retention', 360, ctx.onDispose);
    const result = h('div', { data: { section: 'retention-result' } });

    function run(): void {
      const days = Math.min(MAX_RETENTION_DAYS, Math.max(1, Math.round(Number(daysInput.value) || 7)));
      daysInput.value = String(days);
      Object.assign(memory, { cohort: cohortSelect.value, activity: activitySelect.value, days: String(days) });
      result.replaceChildren();
      void load(result, ctx, async (out) => {
        const reply = await ctx.api.get<Retention>(
          '/api/analysis/retention',
          { ...filterParams(ctx.filters, Date.now(), 'time'), cohort: memory.cohort, activity: memory.activity, days },
          ctx.signal,
        );
        ctx.learnTimeZone(reply.time_zone);
        chart.element.style.height = `${Math.max(220, Math.min(900, 60 + reply.cohorts.length * 26))}px`;
        chart.set(retentionOption(reply.cohorts, reply.days));
        const dayColumns: Array<Column<Cohort>> = Array.from({ length: reply.days + 1 }, (_, d) => ({
          key: `d${d}`,
          label: `D${d}`,
          value: (c: Cohort) => c.rates[d] ?? null,
          render: (c: Cohort) => (c.rates[d] === undefined ? '' : `${formatPercent(c.rates[d]!, 1)} (${formatCount(c.retained[d] ?? 0)})`),
          numeric: true,
        }));
        out.append(
          h('p', { class: 'muted' }, `群组按 ${reply.time_zone} 的日期切分 Cohorts are days in ${reply.time_zone}; D0 = the cohort day.`),
          dataTable({
            name: 'retention',
            csvName: 'retention',
            rows: reply.cohorts,
            columns: [
              { key: 'cohort', label: '群组 Cohort', value: (c) => c.cohort },
              { key: 'size', label: '人数 Size', value: (c) => c.size, render: (c) => formatCount(c.size), numeric: true },
              ...dayColumns,
            ],
          }).element,
        );
      });
    }

    root.append(
      panel(
        '留存设置',
        'Cohorts',
        h(
          'div',
          { class: 'controls' },
          field(bi('群组', 'Cohort by'), cohortSelect),
          field(bi('回访定义', 'Counts as back'), activitySelect),
          field(bi('天数', 'Days'), daysInput),
          button(bi('计算', 'Run'), run, 'btn btn-primary', { 'data-action': 'run-retention' }),
        ),
      ),
      panel('留存热力图', 'Retention heat map', chart.element, result),
    );
    run();
  },
};
