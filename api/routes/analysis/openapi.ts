// The OpenAPI document (@fastify/swagger) and its UI at /docs (@fastify/swagger-ui).
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'ShopPulse API',
      description:
        'Analysis of the events in ClickHouse. Every /api/* route needs `Authorization: Bearer <API_TOKEN>`. ' +
        'Days and hours are cut in the TIME_ZONE the API runs with (Asia/Shanghai by default). See docs/analytics.md.',
      version: '0.1.0',
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' } } },
    tags: [{ name: 'analysis', description: 'Multi-dimensional analysis: KPIs, series, funnel, retention, rankings, provinces, heat map, repurchase' }],
  },
};

export const swaggerUiOptions: FastifySwaggerUiOptions = { routePrefix: '/docs' };
