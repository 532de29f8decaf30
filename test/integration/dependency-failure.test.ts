import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { unlessUnavailable } from '@/common/dependency-failure';
import { toProblem } from '@/common/problem.filter';
import { appConfigSchema } from '@/config/schema';
import { createRedisClient, pipelineReplies } from '@/infra/redis/redis.factory';
import { MARIADB } from '../support/databases';
import { freePort } from '../support/ports';

/** The error a promise rejects with (the test fails if it resolves). */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => assert.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** A client of the app's own factory, for a Redis that nothing listens on. */
async function unreachableRedis() {
  const port = await freePort();
  const client = createRedisClient(appConfigSchema.shape.redis.parse({ port }));
  client.on('error', () => undefined);
  await client.connect().catch(() => undefined);
  return { client, port };
}

function assertUnavailable(error: unknown, port: number) {
  const problem = toProblem(error);
  assert.equal(problem.status, 503);
  assert.equal(problem.code, 'unavailable');
  assert.ok(problem.retryAfterSeconds! > 0);
  assert.doesNotMatch(problem.detail, new RegExp(`${port}|127\\.0\\.0\\.1|ECONN`));
}

describe('dependency failures', () => {
  it('answers a refused database connection with a 503 that names no address', async () => {
    const port = await freePort();
    const dataSource = new DataSource({
      type: 'mariadb',
      host: '127.0.0.1',
      port,
      username: 'root',
      connectTimeout: 1_000,
    });
    assertUnavailable(await rejection(dataSource.initialize()), port);
  });

  it('answers a command, a transaction and a pipeline on an unreachable Redis with a 503 at once', async () => {
    const { client, port } = await unreachableRedis();
    try {
      const started = performance.now();
      assertUnavailable(await rejection(client.get('key')), port);
      assertUnavailable(await rejection(client.multi().incr('key').exec()), port);
      assertUnavailable(await rejection(pipelineReplies(client.pipeline().get('key'))), port);
      // Nothing waits for a reconnection.
      assert.ok(performance.now() - started < 500);
    } finally {
      client.disconnect();
    }
  });

  it('keeps a bad query a 500 and lets a cache fall back only when Redis is unreachable', async () => {
    const connection = await createConnection(MARIADB);
    try {
      const badQuery = (await rejection(connection.query('SELEC 1'))) as Error;
      assert.equal(toProblem(badQuery).status, 500);
      await assert.rejects(unlessUnavailable(Promise.reject(badQuery), null));
    } finally {
      await connection.end();
    }
    const { client } = await unreachableRedis();
    try {
      assert.equal(await unlessUnavailable(client.get('key'), 'fallback'), 'fallback');
    } finally {
      client.disconnect();
    }
  });
});
