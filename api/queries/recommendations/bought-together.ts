// "Bought together": stored association rules of one association-rules run,
// for one antecedent product (best confidence first) or over all products
// (most frequent pairs first), filtered by minimum support, confidence, lift.
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';
import { round4 } from './similar-items.ts';
import type { BasketKind } from '../../wire/params.ts';

export interface AssociationRule {
  antecedent: string;
  consequent: string;
  /** baskets holding both */
  pair_baskets: number;
  antecedent_baskets: number;
  consequent_baskets: number;
  total_baskets: number;
  /** pair_baskets / total_baskets */
  support: number;
  /** pair_baskets / antecedent_baskets */
  confidence: number;
  /** confidence / (consequent_baskets / total_baskets) */
  lift: number;
}

export interface BoughtTogetherParams {
  computedAt: number;
  basket: BasketKind;
  /** antecedent; undefined = rules of every product */
  product?: string;
  minSupport: number;
  minConfidence: number;
  minLift: number;
  limit: number;
}

export function buildBoughtTogetherQuery(p: BoughtTogetherParams) {
  // Fixed fragments chosen by whether a product was given; its id is bound.
  const productFilter = p.product === undefined ? '' : '\n  AND antecedent = {product:String}';
  const order = p.product === undefined ? 'support DESC, confidence DESC, lift DESC, antecedent, consequent' : 'confidence DESC, lift DESC, support DESC, consequent';
  return {
    query: `
SELECT antecedent, consequent, pair_baskets, antecedent_baskets, consequent_baskets, total_baskets, support, confidence, lift
FROM association_rules
WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC')
  AND basket = {basket:String}${productFilter}
  AND support >= {min_support:Float64} AND confidence >= {min_confidence:Float64} AND lift >= {min_lift:Float64}
ORDER BY ${order}
LIMIT {limit:UInt32}`,
    query_params: {
      computed_at: p.computedAt,
      basket: p.basket,
      ...(p.product === undefined ? {} : { product: p.product }),
      min_support: p.minSupport,
      min_confidence: p.minConfidence,
      min_lift: p.minLift,
      limit: p.limit,
    },
  };
}

export const toAssociationRule = (r: Record<string, unknown>): AssociationRule => ({
  antecedent: String(r.antecedent),
  consequent: String(r.consequent),
  pair_baskets: num(r.pair_baskets),
  antecedent_baskets: num(r.antecedent_baskets),
  consequent_baskets: num(r.consequent_baskets),
  total_baskets: num(r.total_baskets),
  support: round4(r.support),
  confidence: round4(r.confidence),
  lift: round4(r.lift),
});

export async function queryBoughtTogether(client: ClickHouseClient, p: BoughtTogetherParams): Promise<AssociationRule[]> {
  const result = await client.query({ ...buildBoughtTogetherQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toAssociationRule);
}
