// Recommendations lookup: for a product (similar items, bought-together rules)
// or for a user (item-based CF with the popularity fill), plus the popular list
// to start from. Ids in every list open their own lookup.
import type { BoughtTogether, Popular, Rule, Similar, UserRecs } from '../api-types.ts';
import { formatCount, formatDateTime, formatDecimal, formatPercent } from '../format.ts';
import { dataTable } from '../views/data-table.ts';
import { bi, button, field, h, input } from '../views/dom.ts';
import { linkButton, load, panel, type Page, type PageContext } from './page.ts';
import { showProfile } from './segments.ts';

const LIMIT = 20;

interface RecsMemory {
  product: string;
  user: string;
  includePurchased: boolean;
}

export const recommendationsPage: Page = {
  id: 'recommendations',
  scope: 'none',
  render(root, ctx) {
    const memory = ((ctx.memory.recommendations as RecsMemory | undefined) ??= { product: '', user: '', includePurchased: false });
    // A link from another page (#/recommendations?product=…) wins over memory.
    const linkedProduct = ctx.params.get('product');
    const linkedUser = ctx.params.get('user');
    if (linkedProduct) memory.product = linkedProduct;
    if (linkedUser) memory.user = linkedUser;

    const productInput = input('text', memory.product, { placeholder: 'product_id', 'data-field': 'product', maxlength: '128', spellcheck: 'false' });
    const userInput = input('text', memory.user, { placeholder: 'user_id / anonymous_id', 'data-field': 'user', maxlength: '128', spellcheck: 'false' });
    const purchased = input('checkbox', '', { 'data-field': 'include_purchased' });
    purchased.checked = memory.includePurchased;
    const productResult = h('div', { data: { section: 'product-recs' } });
    const userResult = h('div', { data: { section: 'user-recs' } });
    const userProfile = h('div', { data: { section: 'profile' } });
    const popular = h('div', { data: { section: 'popular' } });

    const lookUpProduct = (id: string) => {
      productInput.value = id;
      memory.product = id;
      showProduct();
      productResult.scrollIntoView({ block: 'nearest' });
    };
    const productLink = (id: string) => linkButton(id, () => lookUpProduct(id), 'product');

    function showProduct(): void {
      productResult.replaceChildren();
      const id = productInput.value.trim();
      memory.product = id;
      if (id === '') return;
      void load(productResult, ctx, async (out) => {
        const [similar, rules] = await Promise.all([
          ctx.api.get<Similar>(`/api/recommendations/items/${encodeURIComponent(id)}/similar`, { limit: LIMIT }, ctx.signal),
          ctx.api.get<BoughtTogether>('/api/recommendations/bought-together', { product: id, limit: LIMIT }, ctx.signal),
        ]);
        out.append(
          h('h3', { class: 'drill-title' }, bi('看了又看', 'Similar products'), ' ', h('span', { class: 'mono' }, id), h('span', { class: 'muted' }, `  ${runNote(ctx, similar.computed_at, 'item-similarity')}`)),
          dataTable({
            name: 'similar',
            csvName: `similar-${id}`,
            rows: similar.items,
            empty: '没有相似商品 No similar products (the product has no co-visitors in the last run)',
            columns: [
              { key: 'rank', label: '#', value: (i) => i.rank, numeric: true },
              { key: 'product_id', label: '商品 Product', value: (i) => i.product_id, render: (i) => productLink(i.product_id) },
              { key: 'cosine', label: '余弦相似 Cosine', value: (i) => i.cosine, render: (i) => formatDecimal(i.cosine, 4), numeric: true },
              { key: 'co_users', label: '共同用户 Co-users', value: (i) => i.co_users, numeric: true },
            ],
          }).element,
          h('h3', { class: 'drill-title' }, bi('买了又买', 'Bought together'), h('span', { class: 'muted' }, `  ${runNote(ctx, rules.computed_at, 'association-rules')}`)),
          rulesTable(rules.rules, 'product-rules', productLink),
        );
      });
    }

    function showUser(): void {
      userResult.replaceChildren();
      userProfile.replaceChildren();
      const id = userInput.value.trim();
      memory.user = id;
      memory.includePurchased = purchased.checked;
      if (id === '') return;
      void load(userResult, ctx, async (out) => {
        const recs = await ctx.api.get<UserRecs>(`/api/recommendations/users/${encodeURIComponent(id)}`, { limit: LIMIT, include_purchased: purchased.checked }, ctx.signal);
        out.append(
          h(
            'h3',
            { class: 'drill-title' },
            bi('为用户推荐', 'For user'),
            ' ',
            h('span', { class: 'mono' }, recs.user_id),
            h('span', { class: 'muted' }, `  history ${formatCount(recs.history_items)} products · purchased ${formatCount(recs.purchased_items)} · ${runNote(ctx, recs.computed_at, 'item-similarity')}`),
          ),
          dataTable({
            name: 'user-recs',
            csvName: `recs-${id}`,
            rows: recs.items.map((item, i) => ({ ...item, rank: i + 1 })),
            columns: [
              { key: 'rank', label: '#', value: (i) => i.rank, numeric: true },
              { key: 'product_id', label: '商品 Product', value: (i) => i.product_id, render: (i) => productLink(i.product_id) },
              { key: 'score', label: '得分 Score', value: (i) => i.score, render: (i) => formatDecimal(i.score, 4), numeric: true },
              { key: 'source', label: '来源 Source', value: (i) => i.source, render: (i) => (i.source === 'cf' ? '协同过滤 CF' : '热门补足 Popular') },
              { key: 'because', label: '因为 Because of', value: (i) => i.because.join(', ') },
            ],
          }).element,
        );
      });
      showProfile(ctx, userProfile, id, false);
    }

    function showPopular(): void {
      void load(popular, ctx, async (out) => {
        const reply = await ctx.api.get<Popular>('/api/recommendations/popular', { limit: LIMIT }, ctx.signal);
        out.append(
          h('p', { class: 'muted' }, `点击商品查看相似商品 Click a product to look it up · ${runNote(ctx, reply.computed_at, 'item-similarity')}`),
          dataTable({
            name: 'popular',
            rows: reply.items,
            columns: [
              { key: 'rank', label: '#', value: (i) => i.rank, numeric: true },
              { key: 'product_id', label: '商品 Product', value: (i) => i.product_id, render: (i) => productLink(i.product_id) },
              { key: 'score', label: '热度 Score', value: (i) => i.score, render: (i) => formatDecimal(i.score, 1), numeric: true },
              { key: 'users', label: '用户 Users', value: (i) => i.users, numeric: true },
              { key: 'buyers', label: '买家 Buyers', value: (i) => i.buyers, numeric: true },
            ],
          }).element,
        );
      });
    }

    const onEnter = (el: HTMLInputElement, go: () => void) => el.addEventListener('keydown', (e) => e.key === 'Enter' && go());
    onEnter(productInput, showProduct);
    onEnter(userInput, showUser);

    root.append(
      h(
        'div',
        { class: 'grid-2' },
        panel(
          '商品推荐',
          'For a product',
          h('div', { class: 'controls' }, field(bi('商品 ID', 'Product id'), productInput), button(bi('查询', 'Look up'), showProduct, 'btn btn-primary', { 'data-action': 'lookup-product' })),
          productResult,
        ),
        panel(
          '用户推荐',
          'For a user',
          h(
            'div',
            { class: 'controls' },
            field(bi('用户 ID', 'User id'), userInput),
            h('label', { class: 'check' }, purchased, bi('含已购', 'Include purchased')),
            button(bi('查询', 'Look up'), showUser, 'btn btn-primary', { 'data-action': 'lookup-user' }),
          ),
          userResult,
          userProfile,
        ),
      ),
      panel('热门商品', 'Popular products (the fallback list)', popular),
    );
    showPopular();
    if (memory.product) showProduct();
    if (memory.user) showUser();
  },
};

function runNote(ctx: PageContext, computedAt: number | null, job: string): string {
  return computedAt === null ? `尚未计算 not computed yet: run the ${job} job (Overview → Analytics jobs)` : `${job} run ${formatDateTime(computedAt, ctx.timeZone())}`;
}

/** Association rules with support, confidence and lift; numeric columns sort on click. */
export function rulesTable(rules: readonly Rule[], name: string, productLink: (id: string) => Node, sort: { key: string; direction: 'asc' | 'desc' } | null = null) {
  return dataTable<Rule>({
    name,
    csvName: name,
    rows: rules,
    sort,
    empty: '没有规则 No rules (no order holds this product with another)',
    columns: [
      { key: 'antecedent', label: '前项 If bought', value: (r) => r.antecedent, render: (r) => productLink(r.antecedent) },
      { key: 'consequent', label: '后项 Then also', value: (r) => r.consequent, render: (r) => productLink(r.consequent) },
      { key: 'support', label: '支持度 Support', value: (r) => r.support, render: (r) => formatPercent(r.support, 2), numeric: true },
      { key: 'confidence', label: '置信度 Confidence', value: (r) => r.confidence, render: (r) => formatPercent(r.confidence, 1), numeric: true },
      { key: 'lift', label: '提升度 Lift', value: (r) => r.lift, render: (r) => formatDecimal(r.lift, 3), numeric: true },
      { key: 'pair_baskets', label: '同篮 Both', value: (r) => r.pair_baskets, numeric: true },
      { key: 'antecedent_baskets', label: '前项篮 If', value: (r) => r.antecedent_baskets, numeric: true },
      { key: 'consequent_baskets', label: '后项篮 Then', value: (r) => r.consequent_baskets, numeric: true },
      { key: 'total_baskets', label: '总篮 All', value: (r) => r.total_baskets, numeric: true },
    ],
  }).element;
}
