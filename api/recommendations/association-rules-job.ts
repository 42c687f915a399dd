// Job `association-rules`: "bought together" rules A → B over baskets of paid
// items, in ClickHouse SQL (pairs counted directly, as Apriori's second level:
// rules between two products). A basket is the set of distinct products of
// one paid order (`order`), or of every order a visitor paid in one session
// (`session`, useful when each order holds one item, as in the Taobao and
// REES46 data). With N baskets, n(A) baskets holding A and n(A,B) both:
//   support(A→B)    = n(A,B) / N
//   confidence(A→B) = n(A,B) / n(A)
//   lift(A→B)       = confidence / (n(B) / N) = n(A,B)·N / (n(A)·n(B))
// Rules need n(A,B) ≥ minPairBaskets, support ≥ minSupport and confidence ≥
// minConfidence; the maxRulesPerProduct best per antecedent are stored.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Job } from '../jobs/job-runner.ts';
import { countRunRows, dropOldRuns, readHistoryWindow, recordRun, RECOMMENDATION_JOB_NAMES, type HistoryWindow } from './runs.ts';
import type { RecommendationSettings } from './settings.ts';
import type { BasketKind } from '../wire/params.ts';

type Statement = { query: string; query_params: Record<string, unknown> };

const at = (param: string) => `fromUnixTimestamp64Milli({${param}:Int64}, 'UTC')`;

/** The grouping key of a basket: fixed SQL per kind (never user input). */
const BASKET_KEYS: Readonly<Record<BasketKind, string>> = {
  order: 'order_id',
  session: 'anonymous_id, session_id',
};

export function buildAssociationRulesInsert(
  computedAt: number,
  window: HistoryWindow,
  basket: BasketKind,
  rules: RecommendationSettings['rules'],
): Statement {
  const key = BASKET_KEYS[basket];
  if (!key) throw new Error(`unknown basket kind ${String(basket)}`);
  return {
    query: `
INSERT INTO association_rules (computed_at, basket, antecedent, consequent, pair_baskets, antecedent_baskets, consequent_baskets, total_baskets, support, confidence, lift)
WITH
  baskets AS
  (
    SELECT arraySort(groupUniqArrayArray(order_item_product_ids)) AS items
    FROM events
    WHERE type = 'order_pay' AND ts >= ${at('from_ms')} AND ts <= ${at('to_ms')}
    GROUP BY ${key}
    HAVING length(items) >= 1
  ),
  item_counts AS
  (
    SELECT item, count() AS n
    FROM baskets
    ARRAY JOIN items AS item
    GROUP BY item
  ),
  pair_counts AS
  (
    SELECT pair.1 AS a, pair.2 AS b, count() AS n
    FROM baskets
    ARRAY JOIN arrayFlatten(arrayMap(x -> arrayMap(y -> (x, y), arrayFilter(y -> y != x, items)), items)) AS pair
    WHERE length(items) <= {max_basket_items:UInt32}
    GROUP BY a, b
    HAVING n >= {min_pair_baskets:UInt32}
  )
SELECT ${at('computed_at')}, {basket:String}, a, b, pair_n, a_n, b_n, total, support, confidence, lift
FROM
(
  SELECT pair_counts.a AS a, pair_counts.b AS b, pair_counts.n AS pair_n, ca.n AS a_n, cb.n AS b_n,
         (SELECT count() FROM baskets) AS total,
         pair_n / total AS support,
         pair_n / a_n AS confidence,
         (pair_n * total) / (a_n * b_n) AS lift
  FROM pair_counts
  INNER JOIN item_counts AS ca ON ca.item = pair_counts.a
  INNER JOIN item_counts AS cb ON cb.item = pair_counts.b
)
WHERE support >= {min_support:Float64} AND confidence >= {min_confidence:Float64}
ORDER BY a, confidence DESC, lift DESC, b
LIMIT {max_rules:UInt32} BY a`,
    query_params: {
      computed_at: computedAt,
      from_ms: window.fromMs,
      to_ms: window.toMs,
      basket,
      max_basket_items: rules.maxBasketItems,
      min_pair_baskets: rules.minPairBaskets,
      min_support: rules.minSupport,
      min_confidence: rules.minConfidence,
      max_rules: rules.maxRulesPerProduct,
    },
  };
}

export function createAssociationRulesJob(settings: RecommendationSettings): Job {
  const job = RECOMMENDATION_JOB_NAMES.associationRules;
  return {
    name: job,
    description: '"Bought together" association rules (support, confidence, lift) over baskets of paid items: per order and per session',
    async run(ctx) {
      const client: ClickHouseClient = ctx.clickhouse;
      const window = await readHistoryWindow(client, settings.windowDays);
      for (const basket of settings.rules.baskets) {
        const started = Date.now();
        await client.command(buildAssociationRulesInsert(ctx.computedAt, window, basket, settings.rules));
        ctx.log.info({ step: `association_rules/${basket}`, ms: Date.now() - started }, 'recommendation step finished');
      }
      const rows = await countRunRows(client, 'association_rules', ctx.computedAt);
      ctx.log.info({ rules: rows }, 'association rules written');
      await recordRun(client, { job, computedAt: ctx.computedAt, window, rows, settings: settings.rules });
      const dropped = await dropOldRuns(client, job, settings.keepRuns);
      if (dropped.length > 0) ctx.log.info({ dropped }, 'dropped old recommendation runs');
      return { rows };
    },
  };
}
