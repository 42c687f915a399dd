// ECharts for the analyst pages: modular imports (only the charts used) and
// the canvas renderer (thousands of scatter points stay cheap). A chart
// follows its container's size and is disposed with the page.
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkPointComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from './dom.ts';
import { withMotionPreference } from '../../views/reduced-motion.ts';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export interface ChartHandle {
  element: HTMLElement;
  set(option: echarts.EChartsCoreOption): void;
  dispose(): void;
}

/** A chart box of the given height; `onDispose` registers its cleanup with the page. */
export function createChart(name: string, heightPx: number, onDispose: (fn: () => void) => void): ChartHandle {
  const element = h('div', { class: 'chart-box', data: { chart: name }, attrs: { style: `height:${heightPx}px` } });
  let chart: echarts.ECharts | undefined;
  let pending: echarts.EChartsCoreOption | undefined;
  // Init once the box is in the document and has a size.
  const observer = new ResizeObserver(() => {
    if (!chart && element.clientWidth > 0) {
      chart = echarts.init(element, null, { renderer: 'canvas' });
      if (pending) chart.setOption(withMotionPreference(pending), { notMerge: true });
    } else {
      chart?.resize();
    }
  });
  observer.observe(element);
  const handle: ChartHandle = {
    element,
    set(option) {
      pending = option;
      element.dataset.ready = 'true';
      chart?.setOption(withMotionPreference(option), { notMerge: true });
    },
    dispose() {
      observer.disconnect();
      chart?.dispose();
      chart = undefined;
    },
  };
  onDispose(() => handle.dispose());
  return handle;
}
