// GET /api/recommendations/*: item-based collaborative filtering, per-person
// recommendations (item- or user-based) with a popularity fallback, and
// "bought together" rules.
// Answers come from the newest complete run of the jobs in
// api/recommendations/ (POST /api/jobs/<job>/run recomputes); a person's own
// history is read live. Registered inside /api, so the bearer token applies.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { queryBoughtTogether } from '../../queries/recommendations/bought-together.ts';
import { queryLatestRun } from '../../queries/recommendations/latest-run.ts';
import { queryPopularItems } from '../../queries/recommendations/popular-items.ts';
import { querySimilarItems } from '../../queries/recommendations/similar-items.ts';
import { recommendForUser } from '../../recommendations/recommend-for-user.ts';
import { RECOMMENDATION_JOB_NAMES } from '../../recommendations/runs.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, type RecommendationSettings } from '../../recommendations/settings.ts';
import {
  BoughtTogetherQuery,
  BoughtTogetherReply,
  LimitQuery,
  PopularReply,
  routeSchema,
  SimilarParams,
  SimilarReply,
  UserParams,
  UserQuery,
  UserReply,
} from './schemas.ts';

export interface RecommendationRoutesOptions {
  clickhouse: ClickHouseClient;
  /** must be the settings the jobs ran with (weights, history cap) */
  settings?: RecommendationSettings;
}

export const recommendationRoutes: FastifyPluginAsync<RecommendationRoutesOptions> = async (app, opts) => {
  const { clickhouse } = opts;
  const settings = opts.settings ?? DEFAULT_RECOMMENDATION_SETTINGS;

  app.get<{ Params: Static<typeof SimilarParams>; Querystring: Static<typeof LimitQuery> }>(
    '/items/:productId/similar',
    {
      schema: routeSchema({
        summary: 'People who viewed or bought this product also … (item-based collaborative filtering)',
        description: 'The product’s neighbours by cosine similarity of weighted person vectors (view 1, click 1, favourite 2, cart 3, order 3, paid 5), from the newest item-similarity run.',
        params: SimilarParams,
        querystring: LimitQuery,
        reply: SimilarReply,
      }),
    },
    async (request) => {
      const { productId } = request.params;
      const run = await queryLatestRun(clickhouse, RECOMMENDATION_JOB_NAMES.itemSimilarity);
      const items = run ? await querySimilarItems(clickhouse, { computedAt: run.computedAt, productId, limit: request.query.limit ?? 10 }) : [];
      return { product_id: productId, computed_at: run?.computedAt ?? null, items };
    },
  );

  app.get<{ Params: Static<typeof UserParams>; Querystring: Static<typeof UserQuery> }>(
    '/users/:userId',
    {
      schema: routeSchema({
        summary: 'Recommendations for one person (item-based or user-based collaborative filtering)',
        description:
          'method=item (default): every neighbour j of the person’s products i scores Σ weight(i) × cosine(i, j). ' +
          'method=user: the people most similar to the person (cosine of weighted interaction vectors) are found through the products they share; ' +
          'a product j scores Σ similarity(q) × weight(q, j) over those people q. ' +
          'Products the person paid for are left out unless include_purchased=true. ' +
          'Fewer candidates than limit (or an unknown person) are filled with popular products, flagged source="popular".',
        params: UserParams,
        querystring: UserQuery,
        reply: UserReply,
      }),
    },
    async (request) =>
      recommendForUser(clickhouse, {
        userId: request.params.userId,
        limit: request.query.limit ?? 10,
        includePurchased: request.query.include_purchased ?? false,
        method: request.query.method ?? 'item',
        settings,
      }),
  );

  app.get<{ Querystring: Static<typeof LimitQuery> }>(
    '/popular',
    { schema: routeSchema({ summary: 'Popular products (the fallback list)', description: 'Products by Σ interaction weights of everyone in the window.', querystring: LimitQuery, reply: PopularReply }) },
    async (request) => {
      const run = await queryLatestRun(clickhouse, RECOMMENDATION_JOB_NAMES.itemSimilarity);
      const items = run ? await queryPopularItems(clickhouse, { computedAt: run.computedAt, exclude: [], limit: request.query.limit ?? 10 }) : [];
      return { computed_at: run?.computedAt ?? null, items };
    },
  );

  app.get<{ Querystring: Static<typeof BoughtTogetherQuery> }>(
    '/bought-together',
    {
      schema: routeSchema({
        summary: '"Bought together" association rules with support, confidence and lift',
        description:
          'Rules antecedent → consequent over baskets of paid items. With `product`: its rules, best confidence first; without: the most frequent pairs first.',
        querystring: BoughtTogetherQuery,
        reply: BoughtTogetherReply,
      }),
    },
    async (request) => {
      const q = request.query;
      const basket = q.basket ?? 'order';
      const run = await queryLatestRun(clickhouse, RECOMMENDATION_JOB_NAMES.associationRules);
      const rules = run
        ? await queryBoughtTogether(clickhouse, {
            computedAt: run.computedAt,
            basket,
            ...(q.product === undefined ? {} : { product: q.product }),
            minSupport: q.min_support ?? 0,
            minConfidence: q.min_confidence ?? 0,
            minLift: q.min_lift ?? 0,
            limit: q.limit ?? 10,
          })
        : [];
      return { product: q.product ?? null, basket, computed_at: run?.computedAt ?? null, rules };
    },
  );
};
