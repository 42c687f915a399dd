// JSON schemas of the recommendation API (TypeBox): fastify validates and
// serialises with them, @fastify/swagger publishes them at /docs.
import { Type, type TSchema } from '@sinclair/typebox';
import { RECOMMENDATION_METHODS } from '../../recommendations/recommend-for-user.ts';
import { BASKET_KINDS } from '../../wire/params.ts';

const StringEnum = <T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 }));
const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const ComputedAt = Type.Union([Type.Integer(), Type.Null()], {
  description: 'epoch ms of the job run the answer comes from; null before the first run (POST /api/jobs/<job>/run)',
});

export const SimilarParams = Type.Object({ productId: Id('product id') });
export const LimitQuery = Type.Object({ limit: Limit });

export const SimilarReply = Type.Object({
  product_id: Type.String(),
  computed_at: ComputedAt,
  items: Type.Array(
    Type.Object({
      product_id: Type.String(),
      rank: Type.Integer({ minimum: 1 }),
      cosine: Type.Number({ minimum: 0, maximum: 1, description: 'cosine similarity of the weighted person vectors, 4 decimals' }),
      co_users: Count('people who touched both products'),
    }),
  ),
});

export const UserParams = Type.Object({ userId: Id('user_id, or anonymous_id of a visitor who never identified') });
export const UserQuery = Type.Object({
  limit: Limit,
  include_purchased: Type.Optional(Type.Boolean({ default: false, description: 'also recommend products the person already paid for' })),
  method: Type.Optional(
    StringEnum(RECOMMENDATION_METHODS, {
      default: 'item',
      description: 'item: item-based CF (neighbours of the person’s products); user: user-based CF (products of the most similar people)',
    }),
  ),
});

const Method = StringEnum(RECOMMENDATION_METHODS, { description: 'the collaborative filtering method used' });

export const UserReply = Type.Object({
  user_id: Type.String(),
  method: Method,
  computed_at: ComputedAt,
  history_items: Count('products in the person’s history with a positive weight'),
  purchased_items: Count('products the person paid for'),
  neighbours: Type.Optional(Count('method=user: similar people found (cosine over weighted interactions), whose products were scored')),
  items: Type.Array(
    Type.Object({
      product_id: Type.String(),
      score: Type.Number({
        description:
          'cf, method=item: Σ weight × cosine over the person’s products; cf, method=user: Σ similarity × weight over the similar people who touched it; popular: Σ interaction weights of everyone',
      }),
      source: StringEnum(['cf', 'popular'] as const, { description: 'cf = collaborative filtering; popular = popularity fallback' }),
      because: Type.Array(Type.String(), {
        description: 'cf: the person’s products contributing most (up to 3); method=user: those shared most with the similar people who touched it',
      }),
    }),
  ),
});

export const PopularReply = Type.Object({
  computed_at: ComputedAt,
  items: Type.Array(
    Type.Object({
      product_id: Type.String(),
      rank: Type.Integer({ minimum: 1 }),
      score: Type.Number({ description: 'Σ over people of their interaction weight' }),
      users: Count(),
      buyers: Count(),
    }),
  ),
});

const Fraction = (description: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0, description }));

export const BoughtTogetherQuery = Type.Object({
  product: Type.Optional(Id('antecedent product; absent = the most frequent pairs of all products')),
  basket: Type.Optional(StringEnum(BASKET_KINDS, { default: 'order', description: 'order: items of one paid order; session: items of every order paid in one session' })),
  min_support: Fraction('pair baskets / all baskets'),
  min_confidence: Fraction('pair baskets / baskets holding the antecedent'),
  min_lift: Type.Optional(Type.Number({ minimum: 0, default: 0, description: 'confidence / share of baskets holding the consequent; > 1 = bought together more often than by chance' })),
  limit: Limit,
});

export const BoughtTogetherReply = Type.Object({
  product: Type.Union([Type.String(), Type.Null()]),
  basket: StringEnum(BASKET_KINDS),
  computed_at: ComputedAt,
  rules: Type.Array(
    Type.Object({
      antecedent: Type.String(),
      consequent: Type.String(),
      pair_baskets: Count('baskets holding both'),
      antecedent_baskets: Count(),
      consequent_baskets: Count(),
      total_baskets: Count(),
      support: Type.Number(),
      confidence: Type.Number(),
      lift: Type.Number(),
    }),
  ),
});

const ErrorReply = Type.Object({ error: Type.String() });

export const routeSchema = (parts: { summary: string; description?: string; params?: TSchema; querystring?: TSchema; reply: TSchema }) => ({
  tags: ['recommendations'],
  summary: parts.summary,
  ...(parts.description ? { description: parts.description } : {}),
  security: [{ bearerAuth: [] }],
  ...(parts.params ? { params: parts.params } : {}),
  ...(parts.querystring ? { querystring: parts.querystring } : {}),
  response: { 200: parts.reply, 400: ErrorReply, 401: ErrorReply },
});
