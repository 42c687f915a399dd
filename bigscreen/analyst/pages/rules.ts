// Association rules ("bought together") of the newest association-rules run,
// with thresholds, and sorting by support, confidence or lift in the browser.
import type { BoughtTogether } from '../api-types.ts';
import { formatCount, formatDateTime } from '../format.ts';
import { bi, button, field, h, input, select } from '../views/dom.ts';
import { linkButton, load, noRunNotice, panel, type Page } from './page.ts';
import { rulesTable } from './recommendations.ts';
import { BASKET_KINDS } from '../../../api/wire/params.ts';

const SORTS = [
  ['support', '支持度 Support'],
  ['confidence', '置信度 Confidence'],
  ['lift', '提升度 Lift'],
] as const;

interface RulesMemory {
  basket: string;
  product: string;
  minSupport: string;
  minConfidence: string;
  minLift: string;
  limit: string;
  sort: string;
}

export const rulesPage: Page = {
  id: 'rules',
  scope: 'none',
  render(root, ctx) {
    const memory = ((ctx.memory.rules as RulesMemory | undefined) ??= { basket: 'order', product: '', minSupport: '', minConfidence: '', minLift: '', limit: '100', sort: 'lift' });
    const basket = select(BASKET_KINDS.map((b) => [b, b === 'order' ? '订单 Order' : '会话 Session'] as const), memory.basket, 'basket');
    const product = input('text', memory.product, { placeholder: 'any product', 'data-field': 'product', maxlength: '128' });
    const minSupport = input('number', memory.minSupport, { min: '0', max: '1', step: '0.001', placeholder: '0', 'data-field': 'min_support' });
    const minConfidence = input('number', memory.minConfidence, { min: '0', max: '1', step: '0.01', placeholder: '0', 'data-field': 'min_confidence' });
    const minLift = input('number', memory.minLift, { min: '0', step: '0.1', placeholder: '0', 'data-field': 'min_lift' });
    const limit = input('number', memory.limit, { min: '1', max: '100', step: '1', 'data-field': 'limit' });
    const sortSelect = select(SORTS, memory.sort, 'sort');
    const result = h('div', { data: { section: 'rules' } });

    function show(): void {
      Object.assign(memory, {
        basket: basket.value,
        product: product.value.trim(),
        minSupport: minSupport.value,
        minConfidence: minConfidence.value,
        minLift: minLift.value,
        limit: limit.value,
        sort: sortSelect.value,
      });
      result.replaceChildren();
      void load(result, ctx, async (out) => {
        const reply = await ctx.api.get<BoughtTogether>(
          '/api/recommendations/bought-together',
          {
            basket: memory.basket,
            product: memory.product,
            min_support: memory.minSupport,
            min_confidence: memory.minConfidence,
            min_lift: memory.minLift,
            limit: memory.limit || '100',
          },
          ctx.signal,
        );
        if (reply.computed_at === null) {
          out.append(noRunNotice(ctx, ['association-rules'], show));
          return;
        }
        out.append(
          h(
            'p',
            { class: 'muted' },
            `association-rules run ${formatDateTime(reply.computed_at, ctx.timeZone())} · ${formatCount(reply.rules.length)} rules · ` +
              (memory.product ? `rules of ${memory.product}, best confidence first from the API` : 'the most frequent pairs from the API') +
              ', sorted here by the column you pick (click a header).',
          ),
          rulesTable(
            reply.rules,
            'rules',
            (id) => linkButton(id, () => ctx.navigate('recommendations', { product: id }), 'product'),
            { key: memory.sort, direction: 'desc' },
          ),
        );
      });
    }

    sortSelect.addEventListener('change', show);
    root.append(
      panel(
        '关联规则',
        'Association rules',
        h(
          'p',
          { class: 'muted' },
          '支持度 = 同时包含两者的篮子 / 全部篮子；置信度 = 同篮 / 含前项的篮子；提升度 > 1 表示比随机更常一起购买。 Support = baskets with both / all baskets; confidence = both / baskets with the antecedent; lift > 1 = bought together more often than by chance.',
        ),
        h(
          'div',
          { class: 'controls' },
          field(bi('购物篮', 'Basket'), basket),
          field(bi('商品', 'Product'), product),
          field(bi('最小支持度', 'Min support'), minSupport),
          field(bi('最小置信度', 'Min confidence'), minConfidence),
          field(bi('最小提升度', 'Min lift'), minLift),
          field(bi('条数', 'Limit ≤ 100'), limit),
          field(bi('排序', 'Sort by'), sortSelect),
          button(bi('查询', 'Apply'), show, 'btn btn-primary', { 'data-action': 'apply-rules' }),
        ),
        result,
      ),
    );
    show();
  },
};
