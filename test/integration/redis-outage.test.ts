import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../support/app';
import { grpcClient, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { createProject } from '../support/projects';
import { SECOND_REDIS_PORT, secondRedis } from '../support/redis-second';

const CLIENTS = 20;
const OUTAGE_MS = 10_000;

type Route = 'login' | 'me' | 'projects';

interface Outcome {
  route: Route;
  status: number;
  startedAt: number;
  endedAt: number;
  retryAfter: string | null;
  code?: string;
}

/** One request of the mix; never retried, whatever happens to it. */
async function send(app: TestApp, route: Route, member: RegisteredMember): Promise<Outcome> {
  const startedAt = performance.now();
  const request =
    route === 'login'
      ? fetch(`${app.baseUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ account: member.input.account, password: member.input.password }),
        })
      : fetch(`${app.baseUrl}/api/v1/${route === 'me' ? 'me' : 'projects'}`, {
          headers: { authorization: `Bearer ${member.accessToken}` },
        });
  const response = await request.catch(() => undefined);
  const body = response
    ? ((await response.json().catch(() => ({}))) as { code?: string })
    : { code: 'network_error' };
  return {
    route,
    status: response?.status ?? 0,
    startedAt,
    endedAt: performance.now(),
    retryAfter: response?.headers.get('retry-after') ?? null,
    code: body.code,
  };
}

describe('a Redis outage', () => {
  it('answers fast 503s while Redis is down and serves again within a second of its return', async () => {
    await secondRedis('start');
    const app = await startTestApp({
      config: {
        redis: { port: SECOND_REDIS_PORT },
        rateLimit: { loginPerIpPerMinute: 100_000, loginPerAccountPer5Minutes: 100_000 },
      },
    });
    const grpc = grpcClient(app.grpcAddress, 'user/v1/user.proto', 'msproject.user.v1.UserService');
    let stoppedAt = 0;
    let restartedAt = 0;
    try {
      const members = await Promise.all(Array.from({ length: 4 }, () => registerMember(app)));
      for (const member of members) await createProject(app, member.accessToken);

      const outcomes: Outcome[] = [];
      let running = true;
      // Logins count attempts in Redis (fail closed); me and the project list read caches.
      const routes: Route[] = ['login', 'me', 'me', 'projects', 'projects'];
      const clients = Array.from({ length: CLIENTS }, async (_, index) => {
        const route = routes[index % routes.length];
        const member = members[index % members.length];
        for (let sent = 0; running && sent < 10_000; sent++) {
          outcomes.push(await send(app, route, member));
        }
      });

      await delay(1_000);
      await secondRedis('stop');
      stoppedAt = performance.now();
      const grpcStartedAt = performance.now();
      const grpcError = await unary(grpc, 'Login', {
        account: members[0].input.account,
        password: members[0].input.password,
      }).then(
        () => undefined,
        (error: ServiceError) => error,
      );
      const grpcMs = performance.now() - grpcStartedAt;
      const readiness = await call<{ details: { redis: { status: string } } }>(
        app,
        'GET',
        '/health/ready',
      );
      await delay(OUTAGE_MS - (performance.now() - stoppedAt));
      restartedAt = performance.now();
      await secondRedis('start');
      const backAt = performance.now();
      const firstLoginAfter = async () => {
        for (let waited = 0; waited < 5_000; waited += 50) {
          const success = outcomes.find(
            (outcome) =>
              outcome.route === 'login' && outcome.status === 200 && outcome.startedAt >= backAt,
          );
          if (success) return success;
          await delay(50);
        }
        return undefined;
      };
      const recovered = await firstLoginAfter();
      running = false;
      await Promise.all(clients);

      const during = outcomes.filter(
        (outcome) => outcome.startedAt >= stoppedAt && outcome.endedAt <= restartedAt,
      );
      const failed = outcomes.filter((outcome) => outcome.status !== 200);
      const failedMs = failed.map((outcome) => outcome.endedAt - outcome.startedAt);
      const maxFailedMs = Math.max(0, ...failedMs);
      const recoveryMs = recovered ? recovered.endedAt - backAt : Infinity;
      const duringByRoute = (route: Route, status: number) =>
        during.filter((outcome) => outcome.route === route && outcome.status === status).length;
      console.log(
        `redis outage: ${outcomes.length} requests, ${failed.length} failed ` +
          `(statuses ${[...new Set(failed.map((outcome) => outcome.status))].join(',') || '-'}), ` +
          `max failure latency ${maxFailedMs.toFixed(0)} ms; while down: ` +
          `login 503 ${duringByRoute('login', 503)}, me 200 ${duringByRoute('me', 200)}, ` +
          `projects 200 ${duringByRoute('projects', 200)}; ` +
          `Redis start took ${(backAt - restartedAt).toFixed(0)} ms, ` +
          `first login ${recoveryMs.toFixed(0)} ms after it answered; ` +
          `readiness ${readiness.status} (redis ${readiness.body.details.redis.status}), ` +
          `gRPC Login ${grpcError?.code} in ${grpcMs.toFixed(0)} ms`,
      );

      assert.deepEqual(
        failed.filter(
          (outcome) =>
            outcome.status !== 503 || outcome.code !== 'unavailable' || !outcome.retryAfter,
        ),
        [],
        'every failure is a 503 problem with Retry-After',
      );
      assert.ok(maxFailedMs < 1_000, `a failure took ${maxFailedMs.toFixed(0)} ms`);
      // Security counters fail closed; the session check and the caches fall back to the database.
      assert.ok(duringByRoute('login', 503) > 0);
      assert.equal(duringByRoute('login', 200), 0);
      assert.ok(duringByRoute('me', 200) > 0);
      assert.ok(duringByRoute('projects', 200) > 0);
      assert.ok(
        failed.every((outcome) => outcome.route === 'login'),
        'authenticated reads never fail',
      );
      assert.equal(readiness.status, 503);
      assert.equal(readiness.body.details.redis.status, 'down');
      assert.equal(grpcError?.code, GrpcStatus.UNAVAILABLE);
      assert.equal(grpcError.metadata.get('retry-after').length, 1);
      assert.ok(grpcMs < 1_000, `gRPC Login took ${grpcMs.toFixed(0)} ms`);
      assert.ok(
        recoveryMs < 1_000,
        `first success ${recoveryMs.toFixed(0)} ms after Redis returned`,
      );
    } finally {
      grpc.close();
      await secondRedis('start');
      await app.close();
    }
  });
});
