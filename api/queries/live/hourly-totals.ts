import type { ClickHouseClient } from '@clickhouse/client';

export interface HourTotals {
  day: 'today' | 'yesterday';
  /** hour of day in the time zone, 0–23 */
  hour: number;
  gmv: number;
  paidOrders: number;
  pv: number;
  /** the part of the hour's figures before now − 24 h (yesterday's rows only; 0 for today) */
  gmvBeforeSameTime: number;
  paidOrdersBeforeSameTime: number;
  pvBeforeSameTime: number;
}

/** GMV, paid orders and page views per hour of today and yesterday (local days), from the per-minute aggregate. */
export async function queryHourlyTotals(client: ClickHouseClient, timeZone: string): Promise<HourTotals[]> {
  const result = await client.query({
    query: `
      WITH toStartOfDay(now({tz:String})) AS today_start, toStartOfDay(now({tz:String}) - INTERVAL 1 DAY) AS yesterday_start,
           now() - INTERVAL 1 DAY AS same_time_yesterday
      SELECT minute >= today_start AS is_today, toHour(minute, {tz:String}) AS h,
             sumIf(amount, type = 'order_pay') AS gmv,
             sumIf(events, type = 'order_pay') AS paid,
             sumIf(events, type = 'page_view') AS pv,
             sumIf(amount, type = 'order_pay' AND minute < same_time_yesterday) AS gmv_st,
             sumIf(events, type = 'order_pay' AND minute < same_time_yesterday) AS paid_st,
             sumIf(events, type = 'page_view' AND minute < same_time_yesterday) AS pv_st
      FROM events_minute
      WHERE minute >= yesterday_start AND minute < today_start + INTERVAL 1 DAY
      GROUP BY is_today, h`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, string | number | boolean>>();
  return rows.map((r) => {
    const today = r.is_today === true || Number(r.is_today) === 1;
    return {
      day: today ? 'today' : 'yesterday',
      hour: Number(r.h),
      gmv: Number(r.gmv),
      paidOrders: Number(r.paid),
      pv: Number(r.pv),
      gmvBeforeSameTime: today ? 0 : Number(r.gmv_st),
      paidOrdersBeforeSameTime: today ? 0 : Number(r.paid_st),
      pvBeforeSameTime: today ? 0 : Number(r.pv_st),
    };
  });
}
