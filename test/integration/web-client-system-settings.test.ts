import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { clientOk } from '../support/web-client';

type Settings = Record<
  'app_name' | 'app_version' | 'site_name' | 'site_copy' | 'miitbeian',
  string
>;

describe("the deployment's settings the web client shows", () => {
  let app: TestApp;
  let admin: RegisteredMember;
  let member: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [admin, member] = [await registerMember(app), await registerMember(app)];
    await reconfigure(app, { platform: { administrators: [admin.input.account] } });
  });
  after(() => app?.close());

  const settingsClient = () =>
    grpcClient(
      app.grpcAddress,
      'access/v1/access.proto',
      'msproject.access.v1.SystemSettingsService',
    );

  const read = (who: RegisteredMember) =>
    clientOk<Settings>(app, 'project/index/systemConfig', {}, { token: who.accessToken });

  it('reads the defaults, then what an administrator saved, at once', async () => {
    const defaults = await read(member);
    assert.equal(defaults.app_name, 'msproject');
    assert.match(defaults.app_version, /^\d+\.\d+\.\d+/);
    assert.equal(defaults.site_copy, '');
    const saved = await call<{ siteName: string }>(app, 'PATCH', '/api/v1/system-settings', {
      token: admin.accessToken,
      body: { siteName: '团队协作', siteCopy: '© 2026 Example', miitbeian: '京ICP备00000000号' },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const now = await read(member);
    assert.deepEqual(
      [now.site_name, now.site_copy, now.miitbeian, now.app_name],
      ['团队协作', '© 2026 Example', '京ICP备00000000号', 'msproject'],
    );
    const client = settingsClient();
    try {
      const overGrpc = await unary<object, { siteName: string }>(
        client,
        'getSystemSettings',
        {},
        bearer(member.accessToken),
      );
      assert.equal(overGrpc.siteName, '团队协作');
    } finally {
      client.close();
    }
  });

  it('refuses a change to anyone but the administrators, over REST and gRPC, changing nothing', async () => {
    const before = await read(member);
    const refused = await call(app, 'PATCH', '/api/v1/system-settings', {
      token: member.accessToken,
      body: { siteName: 'Taken over' },
    });
    assert.equal(refused.status, 403);
    const bad = await call<{ errors?: { field: string }[] }>(
      app,
      'PATCH',
      '/api/v1/system-settings',
      { token: admin.accessToken, body: { siteName: 'x'.repeat(101) } },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors?.[0]?.field, 'siteName');
    const client = settingsClient();
    try {
      await assert.rejects(
        unary(client, 'updateSystemSettings', { siteName: 'x' }, bearer(member.accessToken)),
        rejectsWith(status.PERMISSION_DENIED),
      );
    } finally {
      client.close();
    }
    assert.deepEqual(await read(member), before);
  });
});
