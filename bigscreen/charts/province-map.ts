// Visitors by province: the China map (series-map on the GeoJSON registered
// as CHINA_MAP) and the top-provinces bar beside it.
import type { BarSeriesOption, MapSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ProvinceBreakdown } from '../../api/wire/live-snapshot.ts';
import { provinceEnglishName, provinceShortName } from '../../api/wire/provinces.ts';
import { formatCountCompact, formatYuanCompact, type Lang } from './compact-format.ts';
import { t } from './i18n.ts';
import { emptyTitle, fontStack, horizontalGradient, palette, smallText, textTooltip, updateAnimation } from './theme.ts';

export const CHINA_MAP = 'china';
const TOP_PROVINCES = 10;

export type ProvinceMapOption = ComposeOption<MapSeriesOption | VisualMapComponentOption | TitleComponentOption | TooltipComponentOption>;
export type ProvinceBarOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption>;

/** The name shown for a GeoJSON province name: 广东 in Chinese, Guangdong in English. */
export function provinceLabel(lang: Lang, geoName: string): string {
  return lang === 'en' ? provinceEnglishName(geoName) || geoName : provinceShortName(geoName);
}

export function provinceMapOption(provinces: ProvinceBreakdown, lang: Lang): ProvinceMapOption {
  const byName = new Map(provinces.items.map((p) => [p.name, p]));
  const max = Math.max(1, ...provinces.items.map((p) => p.visitors));
  return {
    ...updateAnimation,
    title: emptyTitle(provinces.items.length === 0, t(lang, 'map.noLocated')),
    tooltip: {
      ...textTooltip,
      trigger: 'item',
      formatter: (p) => {
        const param = Array.isArray(p) ? p[0] : p;
        const name = String(param?.name ?? '');
        const row = byName.get(name);
        if (!name) return '';
        return `${provinceLabel(lang, name)}\n${t(lang, 'map.visitors')} ${formatCountCompact(row?.visitors ?? 0, lang)}\n${formatYuanCompact(row?.gmv ?? 0, lang)}`;
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      left: 4,
      bottom: 4,
      itemWidth: 10,
      itemHeight: 90,
      calculable: false,
      text: [formatCountCompact(max, lang), '0'],
      textStyle: { ...smallText, fontSize: 12 },
      inRange: { color: ['#0d2a5c', '#1f5fbf', '#22b8ff', '#7ff3ff'] },
    },
    series: [
      {
        id: 'province-map',
        type: 'map',
        map: CHINA_MAP,
        roam: false,
        // The GeoJSON's own aspect, fitted into the panel.
        layoutCenter: ['50%', '54%'],
        layoutSize: '118%',
        selectedMode: false,
        label: { show: false },
        itemStyle: { areaColor: '#0a1d44', borderColor: 'rgba(120, 190, 255, 0.55)', borderWidth: 0.8 },
        emphasis: {
          label: { show: true, color: palette.text, fontFamily: fontStack },
          itemStyle: { areaColor: palette.gold },
        },
        data: provinces.items.map((p) => ({ name: p.name, value: p.visitors })),
      },
    ],
  };
}

export function provinceBarOption(provinces: ProvinceBreakdown, lang: Lang): ProvinceBarOption {
  const top = provinces.items.slice(0, TOP_PROVINCES);
  return {
    ...updateAnimation,
    title: emptyTitle(false, ''),
    grid: { left: 6, right: 58, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', min: 0, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      // Ten slots whatever the count, so bars keep their size as provinces appear.
      max: TOP_PROVINCES - 1,
      data: top.map((p) => provinceLabel(lang, p.name)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...smallText, color: palette.text, fontSize: 14 },
    },
    series: [
      {
        id: 'province-bar',
        type: 'bar',
        barWidth: '58%',
        barMaxWidth: 22,
        data: top.map((p) => ({ value: p.visitors, itemStyle: { color: horizontalGradient(palette.blue, palette.cyan), borderRadius: [0, 3, 3, 0] } })),
        label: {
          show: true,
          position: 'right',
          color: palette.cyan,
          fontSize: 14,
          fontFamily: fontStack,
          formatter: (p: { value?: unknown }) => formatCountCompact(Number(p.value ?? 0), lang),
        },
      },
    ],
  };
}
