// Funnel editor: pick 2–8 event types in order and a window, then see how many
// visitors did them in that order (GET /api/analysis/funnel, windowFunnel).
import type { Funnel } from '../api-types.ts';
import { funnelOption, stepLabel } from '../charts/funnel-option.ts';
import { filterParams } from '../filters.ts';
import { formatCount, formatPercent, formatSeconds } from '../format.ts';
import { addStep, DEFAULT_STEPS, EVENT_TYPES, MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS, moveStep, removeStep, setStep, stepsProblem, type Steps } from '../funnel-steps.ts';
import { createChart } from '../views/chart.ts';
import { dataTable } from '../views/data-table.ts';
import { bi, button, field, h, select } from '../views/dom.ts';
import { load, panel, type Page } from './page.ts';

const WINDOWS: ReadonlyArray<readonly [string, string]> = [600, 3600, 86_400, 7 * 86_400, 30 * 86_400].map((s) => [String(s), formatSeconds(s)] as const);

interface FunnelMemory {
  steps: Steps;
  windowSeconds: string;
}

export const funnelPage: Page = {
  id: 'funnel',
  scope: 'all',
  render(root, ctx) {
    const memory = ((ctx.memory.funnel as FunnelMemory | undefined) ??= { steps: DEFAULT_STEPS, windowSeconds: '86400' });
    const editor = h('div', { class: 'step-editor', data: { section: 'funnel-editor' } });
    const problem = h('p', { class: 'error-text' });
    const windowSelect = select(WINDOWS, memory.windowSeconds, 'window');
    const chart = createChart('funnel', 320, ctx.onDispose);
    const result = h('div', { data: { section: 'funnel-result' } });
    const runButton = button(bi('计算', 'Run'), () => run(), 'btn btn-primary', { 'data-action': 'run-funnel' });

    function drawEditor(): void {
      const steps = memory.steps;
      editor.replaceChildren(
        ...steps.map((type, i) => {
          const typeSelect = select(EVENT_TYPES.map((t) => [t, t] as const), type, `step-${i}`);
          typeSelect.addEventListener('change', () => update(setStep(memory.steps, i, typeSelect.value)));
          return h(
            'div',
            { class: 'step-row', data: { step: String(i) } },
            h('span', { class: 'step-no' }, String(i + 1)),
            typeSelect,
            button('↑', () => update(moveStep(memory.steps, i, -1)), 'btn btn-icon', { title: 'Move up', ...(i === 0 ? { disabled: '' } : {}) }),
            button('↓', () => update(moveStep(memory.steps, i, 1)), 'btn btn-icon', { title: 'Move down', ...(i === steps.length - 1 ? { disabled: '' } : {}) }),
            button('✕', () => update(removeStep(memory.steps, i)), 'btn btn-icon', {
              title: 'Remove',
              'data-action': 'remove-step',
              ...(steps.length <= MIN_FUNNEL_STEPS ? { disabled: '' } : {}),
            }),
          );
        }),
        button(bi('+ 添加步骤', 'Add step'), () => update(addStep(memory.steps)), 'btn', {
          'data-action': 'add-step',
          ...(steps.length >= MAX_FUNNEL_STEPS ? { disabled: '' } : {}),
        }),
      );
      const why = stepsProblem(steps);
      problem.textContent = why ?? '';
      runButton.disabled = why !== null;
    }

    function update(steps: Steps): void {
      memory.steps = steps;
      drawEditor();
    }

    function run(): void {
      if (stepsProblem(memory.steps) !== null) return;
      memory.windowSeconds = windowSelect.value;
      result.replaceChildren();
      void load(result, ctx, async (out) => {
        const reply = await ctx.api.get<Funnel>(
          '/api/analysis/funnel',
          { ...filterParams(ctx.filters, Date.now()), steps: memory.steps.join(','), window: memory.windowSeconds },
          ctx.signal,
        );
        chart.set(funnelOption(reply.steps));
        const first = reply.steps[0]?.visitors ?? 0;
        out.append(
          h('p', { class: 'muted' }, `窗口 Window ${formatSeconds(reply.window_seconds)} · ${formatCount(first)} 位访客进入第一步 visitors entered step 1`),
          dataTable({
            name: 'funnel',
            csvName: 'funnel',
            rows: reply.steps.map((s, i) => ({ ...s, index: i })),
            columns: [
              { key: 'index', label: '# 步骤 Step', value: (s) => s.index, render: (s) => stepLabel(s, s.index), numeric: false },
              { key: 'visitors', label: '访客 Visitors', value: (s) => s.visitors, render: (s) => formatCount(s.visitors), numeric: true },
              { key: 'conversion_from_first', label: '较首步 From first', value: (s) => s.conversion_from_first, render: (s) => formatPercent(s.conversion_from_first), numeric: true },
              {
                key: 'conversion_from_previous',
                label: '较上一步 From previous',
                value: (s) => s.conversion_from_previous,
                render: (s) => formatPercent(s.conversion_from_previous),
                numeric: true,
              },
            ],
          }).element,
        );
      });
    }

    drawEditor();
    root.append(
      panel(
        '漏斗编辑器',
        'Funnel editor',
        h('p', { class: 'muted' }, '访客按顺序完成各步，且都在第一步之后的窗口内 Visitors who did the steps in this order, all within the window after their first step (ClickHouse windowFunnel).'),
        editor,
        problem,
        h('div', { class: 'controls' }, field(bi('窗口', 'Window'), windowSelect), runButton),
      ),
      panel('转化漏斗', 'Conversion', chart.element, result),
    );
    run();
  },
};
