// A user's profile (GET /api/users/:id/profile) as a card of tags. Every value
// from the data is set as text.
import type { Profile } from '../api-types.ts';
import { formatCount, formatDateTime, formatDecimal, formatPercent, formatYuan } from '../format.ts';
import { bi, h, type Child } from './dom.ts';

const row = (zh: string, en: string, value: Child) => h('div', { class: 'profile-row' }, h('dt', null, bi(zh, en)), h('dd', null, value));

export function profileCard(p: Profile, actions: Child[] = []): HTMLElement {
  const tz = p.time_zone;
  const hours = [...p.active_hours].sort((a, b) => b.events - a.events).slice(0, 3);
  return h(
    'div',
    { class: 'profile-card', data: { profile: p.user_id } },
    h('h3', null, '用户画像 Profile · ', h('span', { class: 'mono' }, p.user_id)),
    h(
      'dl',
      null,
      row('生命周期', 'Lifecycle', `${p.lifecycle.stage} · ${formatDecimal(p.lifecycle.days_since_last_event, 1)} d since last event`),
      row('首次 / 最近', 'First / last seen', `${formatDateTime(p.first_seen_at, tz)} / ${formatDateTime(p.last_seen_at, tz)}`),
      row('事件 / 会话', 'Events / sessions', `${formatCount(p.events)} / ${formatCount(p.sessions)}`),
      row('支付订单 / 金额', 'Paid orders / monetary', `${formatCount(p.paid_orders)} / ${formatYuan(p.monetary)}`),
      row(
        'RFM 分群',
        'RFM segment',
        p.rfm ? `${p.rfm.segment} (R${p.rfm.r_score} F${p.rfm.f_score} M${p.rfm.m_score})` : '—',
      ),
      row('聚类', 'Cluster', p.cluster ? `#${p.cluster.cluster} ${p.cluster.label}` : '—'),
      row(
        '偏好品类',
        'Preferred categories',
        p.preferred_categories.length === 0 ? '—' : p.preferred_categories.slice(0, 5).map((c) => `${c.category_id} (${c.score})`).join(', '),
      ),
      row('价格带', 'Price band', p.price_band ? `${p.price_band.band} · median ${formatYuan(p.price_band.median_price)}` : '—'),
      row('活跃时段', 'Active hours', hours.length === 0 ? '—' : hours.map((x) => `${String(x.hour).padStart(2, '0')}:00 (${formatPercent(x.share, 0)})`).join(', ')),
      row('设备', 'Device', p.device ? `${p.device.device} · ${p.device.os} · ${p.device.browser}` : '—'),
      row('地域', 'Location', p.location ? `${p.location.province} ${p.location.city}` : '—'),
    ),
    h('div', { class: 'controls' }, ...actions),
  );
}
