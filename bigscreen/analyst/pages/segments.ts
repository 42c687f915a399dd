// RFM segments: the eight segments of the newest rfm run (or computed live for
// another as-of / window), with drill-down to a segment's users and a user's profile.
import type { Profile, Rfm, RfmSegmentRow, RfmUser, RfmUsers } from '../api-types.ts';
import { rfmOption } from '../charts/rfm-option.ts';
import { formatCount, formatDateTime, formatDecimal, formatPercent, formatYuan } from '../format.ts';
import { createChart } from '../views/chart.ts';
import { dataTable } from '../views/data-table.ts';
import { bi, button, field, h, input } from '../views/dom.ts';
import { profileCard } from '../views/profile-card.ts';
import { getOrNoRun, linkButton, load, noRunNotice, panel, statCards, type Page, type PageContext } from './page.ts';

const PAGE_SIZE = 50;

interface SegmentsMemory {
  asOf: string;
  windowDays: string;
  segment: string | null;
  offset: number;
}

export const segmentsPage: Page = {
  id: 'segments',
  scope: 'none',
  render(root, ctx) {
    const memory = ((ctx.memory.segments as SegmentsMemory | undefined) ??= { asOf: '', windowDays: '', segment: ctx.params.get('segment'), offset: 0 });
    const asOfInput = input('date', memory.asOf, { 'data-field': 'as_of' });
    const windowInput = input('number', memory.windowDays, { min: '1', max: '36500', placeholder: 'all', 'data-field': 'window_days' });
    const summary = h('div', { data: { section: 'rfm' } });
    const drill = h('div', { data: { section: 'rfm-users' } });
    const profile = h('div', { data: { section: 'profile' } });
    const chart = createChart('rfm', 300, ctx.onDispose);
    const live = () => ({
      ...(memory.asOf ? { as_of: memory.asOf } : {}),
      ...(memory.windowDays ? { window_days: memory.windowDays } : {}),
    });

    function showSummary(): void {
      summary.replaceChildren();
      void load(summary, ctx, async (out) => {
        const rfm = await getOrNoRun<Rfm>(ctx, '/api/segments/rfm', live());
        if (!rfm) {
          out.append(noRunNotice(ctx, ['rfm'], showSummary));
          return;
        }
        const tz = ctx.timeZone();
        out.append(
          h(
            'p',
            { class: 'muted', data: { run: rfm.source } },
            rfm.source === 'job'
              ? `作业结果 From the rfm job run at ${formatDateTime(rfm.computed_at, tz)}`
              : '实时计算 Computed live for this request',
            ` · as of ${formatDateTime(rfm.as_of, tz)} · ${rfm.window_days === null ? 'all history' : `last ${rfm.window_days} days`}`,
          ),
          statCards([
            { key: 'users', zh: '买家', en: 'Scored buyers', value: formatCount(rfm.users) },
            { key: 'paid_orders', zh: '支付订单', en: 'Paid orders', value: formatCount(rfm.paid_orders) },
            { key: 'monetary', zh: '金额', en: 'Monetary', value: formatYuan(rfm.monetary) },
            { key: 'means', zh: '平均分', en: 'Mean R / F / M', value: `${formatDecimal(rfm.score_means.r, 2)} / ${formatDecimal(rfm.score_means.f, 2)} / ${formatDecimal(rfm.score_means.m, 2)}` },
          ]),
        );
        chart.set(rfmOption(rfm.segments));
        out.append(
          chart.element,
          h('p', { class: 'muted' }, '点击一行查看该分群的用户 Click a segment to list its users.'),
          dataTable<RfmSegmentRow>({
            name: 'rfm',
            csvName: 'rfm-segments',
            rows: rfm.segments,
            isSelected: (s) => s.key === memory.segment || s.segment === memory.segment,
            onRowClick: (s) => {
              memory.segment = s.key;
              memory.offset = 0;
              showSummary();
              showUsers();
            },
            columns: [
              { key: 'segment', label: '分群 Segment', value: (s) => s.segment },
              { key: 'key', label: 'Key', value: (s) => s.key },
              { key: 'rule', label: '规则 Rule', value: (s) => s.rule },
              { key: 'users', label: '用户 Users', value: (s) => s.users, render: (s) => formatCount(s.users), numeric: true },
              { key: 'share', label: '占比 Share', value: (s) => s.share, render: (s) => formatPercent(s.share, 1), numeric: true },
              { key: 'avg_recency_days', label: '平均最近 R (d)', value: (s) => s.avg_recency_days, render: (s) => formatDecimal(s.avg_recency_days, 1), numeric: true },
              { key: 'avg_frequency', label: '平均频次 F', value: (s) => s.avg_frequency, render: (s) => formatDecimal(s.avg_frequency, 2), numeric: true },
              { key: 'avg_monetary', label: '平均金额 M', value: (s) => s.avg_monetary, render: (s) => formatYuan(s.avg_monetary), numeric: true },
              { key: 'monetary_share', label: '金额占比 M share', value: (s) => s.monetary_share, render: (s) => formatPercent(s.monetary_share, 1), numeric: true },
            ],
          }).element,
        );
      });
    }

    function showUsers(): void {
      drill.replaceChildren();
      profile.replaceChildren();
      if (!memory.segment) return;
      const segment = memory.segment;
      void load(drill, ctx, async (out) => {
        const page = await getOrNoRun<RfmUsers>(ctx, '/api/segments/rfm/users', { ...live(), segment, limit: PAGE_SIZE, offset: memory.offset });
        if (!page) return;
        const tz = ctx.timeZone();
        const last = Math.min(memory.offset + PAGE_SIZE, page.total);
        out.append(
          h('h3', { class: 'drill-title' }, bi(`分群用户 · ${page.segment ?? segment}`, `Users of ${segment}`), h('span', { class: 'muted' }, `  ${memory.offset + 1}–${last} / ${formatCount(page.total)}`)),
          dataTable<RfmUser>({
            name: 'rfm-users',
            csvName: `rfm-${segment}`,
            rows: page.users,
            onRowClick: (u) => showProfile(ctx, profile, u.user_id),
            columns: [
              { key: 'user_id', label: '用户 User', value: (u) => u.user_id },
              { key: 'last_order_at', label: '最近支付 Last paid', value: (u) => u.last_order_at, render: (u) => formatDateTime(u.last_order_at, tz), numeric: true },
              { key: 'recency_days', label: 'R (d)', value: (u) => u.recency_days, render: (u) => formatDecimal(u.recency_days, 1), numeric: true },
              { key: 'frequency', label: 'F', value: (u) => u.frequency, numeric: true },
              { key: 'monetary', label: 'M', value: (u) => u.monetary, render: (u) => formatYuan(u.monetary), numeric: true },
              { key: 'scores', label: 'R F M', value: (u) => `${u.r_score}${u.f_score}${u.m_score}`, sortable: false },
            ],
          }).element,
          h(
            'div',
            { class: 'controls pager' },
            button('← 上一页 Previous', () => ((memory.offset = Math.max(0, memory.offset - PAGE_SIZE)), showUsers()), 'btn btn-small', memory.offset === 0 ? { disabled: '' } : {}),
            button('下一页 Next →', () => ((memory.offset += PAGE_SIZE), showUsers()), 'btn btn-small', last >= page.total ? { disabled: '' } : {}),
          ),
        );
      });
    }

    root.append(
      panel(
        '计算口径',
        'Computation',
        h('p', { class: 'muted' }, '默认读取最近一次 rfm 作业；填写截止日期或窗口则实时计算 By default the newest rfm job run; an as-of date or a window computes live.'),
        h(
          'div',
          { class: 'controls' },
          field(bi('截止', 'As of'), asOfInput),
          field(bi('窗口天数', 'Window days'), windowInput),
          button(bi('应用', 'Apply'), () => {
            memory.asOf = asOfInput.value;
            memory.windowDays = windowInput.value;
            showSummary();
            showUsers();
          }, 'btn btn-primary', { 'data-action': 'apply-rfm' }),
          button(bi('用作业结果', 'Use job run'), () => {
            asOfInput.value = '';
            windowInput.value = '';
            memory.asOf = '';
            memory.windowDays = '';
            showSummary();
            showUsers();
          }),
        ),
      ),
      panel('RFM 分群', 'RFM segments', summary),
      panel('下钻', 'Drill-down', drill, profile),
    );
    showSummary();
    showUsers();
  },
};

/** Loads a user's profile into `target`, with a link to their recommendations. */
export function showProfile(ctx: PageContext, target: HTMLElement, userId: string, linkToRecommendations = true): void {
  target.replaceChildren();
  void load(target, ctx, async (out) => {
    const p = await ctx.api.get<Profile>(`/api/users/${encodeURIComponent(userId)}/profile`, {}, ctx.signal);
    ctx.learnTimeZone(p.time_zone);
    const link = linkButton('为该用户推荐 Recommendations for this user →', () => ctx.navigate('recommendations', { user: userId }), 'user-recs');
    out.append(profileCard(p, linkToRecommendations ? [link] : []));
  });
}
