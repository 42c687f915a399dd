import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { bearerAuth } from './bearer-auth.ts';

const TOKEN = 's3cret-token';

async function buildApp() {
  const app = Fastify();
  app.addHook('onRequest', bearerAuth(TOKEN));
  app.get('/private', async () => ({ ok: true }));
  return app;
}

describe('bearerAuth', () => {
  const refused: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['a wrong token', 'Bearer s3cret-tokeN'],
    ['a token prefix', 'Bearer s3cret'],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['no scheme', TOKEN],
    ['Bearer without token', 'Bearer '],
  ];
  for (const [name, authorization] of refused) {
    test(`401 for ${name}`, async () => {
      const app = await buildApp();
      const res = await app.inject({
        method: 'GET',
        url: '/private',
        headers: authorization === undefined ? {} : { authorization },
      });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['www-authenticate'], 'Bearer');
      assert.deepEqual(res.json(), { error: 'missing or wrong bearer token' });
    });
  }

  for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
    test(`passes with ${JSON.stringify(authorization.replace(TOKEN, '<token>'))}`, async () => {
      const app = await buildApp();
      const res = await app.inject({ method: 'GET', url: '/private', headers: { authorization } });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { ok: true });
    });
  }
});
