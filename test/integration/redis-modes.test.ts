import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getRedisConnectionToken } from '@nestjs-modules/ioredis';
import Redis, { Cluster } from 'ioredis';
import { startTestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember } from '../support/members';
import { createProject } from '../support/projects';

/**
 * The app on Redis Sentinel (scripts/redis-sentinel.sh, master "msproject") and on a
 * three-master Redis Cluster (scripts/redis-cluster.sh): readiness, and the flows that use
 * Redis (captcha, rate limits, sessions, profile cache, read-your-writes markers).
 */
const MODES = {
  sentinel: {
    mode: 'sentinel',
    sentinels: [{ host: '127.0.0.1', port: Number(process.env.MSP_SENTINEL_PORT ?? 26380) }],
    sentinelName: 'msproject',
  },
  cluster: {
    mode: 'cluster',
    nodes: [7101, 7102, 7103].map((port) => ({ host: '127.0.0.1', port })),
  },
};

describe("the Redis client under @nestjs-modules/ioredis' token", () => {
  it('is what the client really is: a cluster client is no standalone Redis', async () => {
    const app = await startTestApp({ config: { redis: MODES.cluster } });
    try {
      const client = app.app.get<unknown>(getRedisConnectionToken());
      assert.ok(client instanceof Cluster);
      assert.ok(!(client instanceof Redis));
      assert.equal(await client.ping(), 'PONG');
    } finally {
      await app.close();
    }
  });
});

for (const [name, redis] of Object.entries(MODES)) {
  describe(`Redis in ${name} mode`, () => {
    it('serves readiness, the member flow and the project list', async () => {
      const app = await startTestApp({ config: { redis } });
      try {
        const ready = await call<{ details: { redis: { status: string } } }>(
          app,
          'GET',
          '/health/ready',
        );
        assert.equal(ready.status, 200);
        assert.equal(ready.body.details.redis.status, 'up');
        const member = await registerMember(app);
        const me = await call<{ id: string }>(app, 'GET', '/api/v1/me', {
          token: member.accessToken,
        });
        assert.equal(me.body.id, member.id);
        const again = await call<{ id: string }>(app, 'GET', '/api/v1/me', {
          token: member.accessToken,
        });
        assert.equal(again.body.id, member.id);
        const project = await createProject(app, member.accessToken);
        const list = await call<{ items: { id: string }[] }>(app, 'GET', '/api/v1/projects', {
          token: member.accessToken,
        });
        assert.deepEqual(
          list.body.items.map((item) => item.id),
          [project.id],
        );
        const logout = await call(app, 'POST', '/api/v1/auth/logout', {
          token: member.accessToken,
        });
        assert.equal(logout.status, 204);
        assert.equal(
          (await call(app, 'GET', '/api/v1/me', { token: member.accessToken })).status,
          401,
        );
      } finally {
        await app.close();
      }
    });
  });
}
