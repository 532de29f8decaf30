import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { GRPC_PACKAGES } from '@/grpc/grpc.options';
import { startTestApp, type TestApp } from '../support/app';
import { grpcClient, unary } from '../support/grpc-client';
import { answeredStatus, enumerateRoutes, type Route } from '../support/routes';

describe('every route requires an access token unless marked public', () => {
  let app: TestApp;
  let routes: Route[];

  before(async () => {
    app = await startTestApp();
    routes = enumerateRoutes(app);
  });

  after(async () => {
    await app?.close();
  });

  it('finds the routes of every module', () => {
    assert.ok(routes.some((route) => route.name === 'GET /api/v1/me'));
    assert.ok(routes.some((route) => route.name === 'UserService/GetMembers'));
    assert.ok(routes.length >= 20, `${routes.length} routes`);
  });

  it('marks public only the routes meant to be public', () => {
    const publicRoutes = routes
      .filter((route) => route.isPublic)
      .map((route) => route.name)
      .sort();
    assert.deepEqual(
      publicRoutes,
      [
        'GET /health/config',
        'GET /health/live',
        'GET /metrics',
        'GET /health/ready',
        'Health/Check',
        'Health/Watch',
        'POST /api/v1/auth/captcha',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/register',
        // Forgot password: for members who cannot log in (the code is only ever mailed).
        'POST /api/v1/auth/password-reset',
        'POST /api/v1/auth/password-reset/code',
        'UserService/RequestPasswordReset',
        'UserService/ResetPassword',
        'POST /project/login/_getMailCaptcha',
        'POST /project/login/_resetPasswordByMail',
        'UserService/GetCaptcha',
        'UserService/Login',
        'UserService/Register',
        'UserService/RefreshToken',
        'UserService/VerifyToken',
        // The original web client's (at the root by default).
        'POST /index/index/refreshAccessToken',
        'POST /project/login',
        'POST /project/login/getCaptcha',
        'POST /project/login/register',
      ].sort(),
    );
  });

  it('answers 401 to every other HTTP route called without a token', async () => {
    const guarded = routes.filter((route) => route.kind === 'http' && !route.isPublic);
    assert.ok(guarded.length > 0);
    for (const route of guarded) {
      const path = route.path!.replace(/:[A-Za-z]+/g, 'abcdefghij');
      const response = await fetch(`${app.baseUrl}${path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: route.method === 'GET' ? undefined : '{}',
      });
      assert.equal(await answeredStatus(route, response), 401, route.name);
    }
  });

  it('answers UNAUTHENTICATED to every other RPC called without a token', async () => {
    const guarded = routes.filter((route) => route.kind === 'rpc' && !route.isPublic);
    assert.ok(guarded.length > 0);
    for (const route of guarded) {
      const protoPackage = GRPC_PACKAGES.find((entry) =>
        entry.services.some((service) => service.endsWith(`.${route.service}`)),
      );
      assert.ok(protoPackage, `no proto for ${route.name}`);
      const client = grpcClient(
        app.grpcAddress,
        protoPackage.file,
        `${protoPackage.name}.${route.service}`,
      );
      try {
        await assert.rejects(
          unary(client, route.rpc![0].toLowerCase() + route.rpc!.slice(1), {}),
          (error: ServiceError) => {
            assert.equal(error.code, status.UNAUTHENTICATED, route.name);
            return true;
          },
        );
      } finally {
        client.close();
      }
    }
  });
});
