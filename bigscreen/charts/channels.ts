// 流量来源: today's visitors per channel as bars, each with the GMV credited
// to it (last non-direct, the Sources page's default model) at its end.
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ChannelToday } from '../../api/wire/live-snapshot.ts';
import { CHANNEL_LABELS, isChannel } from '../../collector/contract/traffic-sources.ts';
import { formatCountCompact, formatYuanCompact, type Lang } from './compact-format.ts';
import { t } from './i18n.ts';
import { emptyTitle, horizontalGradient, palette, smallText, updateAnimation } from './theme.ts';

export type ChannelsOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption>;

/** Rows the panel has room for at 1920×1080; the rest are named in the panel's meta line. */
export const CHANNEL_ROWS = 6;

/** A channel's name on the wall; '' (events stored before traffic was kept) is "unknown". */
export function channelLabel(channel: string, lang: Lang): string {
  if (isChannel(channel)) return CHANNEL_LABELS[channel][lang];
  return channel === '' ? t(lang, 'channels.unknown') : channel;
}

export function channelsOption(channels: readonly ChannelToday[], lang: Lang): ChannelsOption {
  const rows = channels.slice(0, CHANNEL_ROWS);
  const gmvOf = rows.map((r) => r.gmv);
  return {
    ...updateAnimation,
    title: emptyTitle(rows.length === 0, t(lang, 'no-data')),
    grid: { left: 6, right: 124, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', min: 0, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => channelLabel(r.channel, lang)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...smallText, color: palette.text, fontSize: 14 },
    },
    series: [
      {
        id: 'channels',
        type: 'bar',
        barWidth: '58%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(110, 160, 255, 0.06)', borderRadius: 3 },
        itemStyle: { borderRadius: [0, 3, 3, 0], color: horizontalGradient(palette.blue, palette.cyan) },
        data: rows.map((r) => r.visitors),
        label: {
          show: true,
          position: 'right',
          fontSize: 14,
          formatter: (p: { value?: unknown; dataIndex?: number }) =>
            `{v|${formatCountCompact(Number(p.value ?? 0), lang)}}  {g|${formatYuanCompact(gmvOf[p.dataIndex ?? 0] ?? 0, lang, 1e4)}}`,
          rich: { v: { color: palette.text, fontSize: 14 }, g: { color: palette.gold, fontSize: 14, fontWeight: 'bold' } },
        },
      },
    ],
  };
}
