import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigCenter } from '@/config/config-center';
import { createHttpAdapter } from '@/server/configure-app';

const center = {
  config: { server: { bodyLimitBytes: 1024, trustProxy: false } },
} as unknown as ConfigCenter;

describe('HTTP adapter', () => {
  it('validates and serializes by a route schema with the compilers loaded on first use', async () => {
    const fastify = createHttpAdapter(center).getInstance();
    fastify.post(
      '/echo',
      {
        schema: {
          body: {
            type: 'object',
            required: ['n'],
            properties: { n: { type: 'integer' } },
          },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      (request) => ({ n: (request.body as { n: number }).n, hidden: 'not in the schema' }),
    );
    try {
      const ok = await fastify.inject({ method: 'POST', url: '/echo', payload: { n: 7 } });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { n: 7 });
      const bad = await fastify.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
      assert.equal(bad.statusCode, 400);
    } finally {
      await fastify.close();
    }
  });
});
