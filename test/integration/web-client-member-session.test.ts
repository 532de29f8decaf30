import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { accessGrpcClients, personalOrganization } from '../support/organizations';
import { createProject } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
interface AreaNode {
  ID: string;
  Name: string;
  ParentId: string;
  children?: AreaNode[];
}

describe("the original web client's session, DingTalk, push and area routes", () => {
  let app: TestApp;
  let member: RegisteredMember;
  let organizationCode = '';

  before(async () => {
    app = await startTestApp();
    member = await registerMember(app);
    organizationCode = await personalOrganization(app, member.accessToken);
  });
  after(() => app?.close());

  const as = () => ({ token: member.accessToken, organizationCode });

  it('answers the logged-in member for _currentMember, with the current organization', async () => {
    const me = await clientOk<Data>(app, 'project/login/_currentMember', {}, as());
    assert.equal(me.code, member.id);
    assert.equal(me.email, member.input.email);
    assert.equal(me.organization_code, organizationCode);
    assertClientCode(
      await clientCall(app, 'project/login/_currentMember', {}),
      401,
      'without a token the client is logged out',
    );
  });

  it('answers no pending OAuth login for _checkLogin, so the client stays logged out', async () => {
    const pending = await clientOk(app, 'project/login/_checkLogin', {}, as());
    assert.equal(pending, null);
    assertClientCode(await clientCall(app, 'project/login/_checkLogin', {}), 401, 'no token');
  });

  it('answers code 503 with a message for the DingTalk login routes, which are not configured, and 401 without a token', async () => {
    for (const [path, params] of [
      ['index/oauth/dingTalkOauth', { redirect: '/home' }],
      ['index/oauth/dingTalkLoginByCode', { code: 'abc' }],
    ] as const) {
      const answer = await clientCall(app, path, params, as());
      assertClientCode(answer, 503, path);
      assert.match(answer.body.msg, /DingTalk login is not configured/);
      assertClientCode(await clientCall(app, path, params), 401, `${path} without a token`);
    }
  });

  it('refuses to mail an email link with code 503 where mail.transport is none', async () => {
    const answer = await clientCall(
      app,
      'project/login/_bindMail',
      { mail: `x${Date.now()}@example.test` },
      as(),
    );
    assertClientCode(answer, 503, 'no mail sender');
    assert.match(answer.body.msg, /sends no mail/);
  });

  it('unbinds no DingTalk account: changes nothing and answers me as I am', async () => {
    const before = await clientOk<Data>(app, 'project/login/_currentMember', {}, as());
    const after = await clientOk<Data>(app, 'project/login/_unbindDingtalk', {}, as());
    assert.equal(after.code, member.id);
    assert.equal(after.mobile, before.mobile);
    assert.equal(after.email, before.email);
  });

  it('binds a websocket client id to nothing and answers my code; refuses without a token', async () => {
    const uid = await clientOk(
      app,
      'index/index/bindClientId',
      { client_id: '7f0000010b5400000001', uid: '' },
      as(),
    );
    assert.equal(uid, member.id);
    assertClientCode(
      await clientCall(app, 'index/index/bindClientId', { client_id: 'x', uid: '' }),
      401,
      'no token',
    );
  });

  it('serves the provinces, cities and districts of China as the area picker reads them', async () => {
    const areas = await clientOk<AreaNode[]>(app, 'index/index/getAreaData', {}, as());
    assert.equal(areas.length, 34, 'every province-level division');
    const beijing = areas.find((area) => area.ID === '110000');
    assert.equal(beijing?.Name, '北京市');
    const guangdong = areas.find((area) => area.ID === '440000');
    const shenzhen = guangdong?.children?.find((city) => city.ID === '440300');
    assert.equal(shenzhen?.Name, '深圳市');
    assert.equal(shenzhen?.ParentId, '440000');
    const nanshan = shenzhen?.children?.find((district) => district.ID === '440305');
    assert.equal(nanshan?.Name, '南山区');
    assert.equal(nanshan?.children, undefined, 'a district has no children');
    // The same tree over REST and gRPC.
    const rest = await call<{ items: { code: string; name: string }[] }>(
      app,
      'GET',
      '/api/v1/areas',
      { token: member.accessToken },
    );
    assert.equal(rest.status, 200);
    assert.equal(rest.body.items.length, 34);
    const grpc = await unary<object, { items: { code: string }[] }>(
      accessGrpcClients(app).organizations,
      'ListAreas',
      {},
      bearer(member.accessToken),
    );
    assert.equal(grpc.items.length, 34);
  });

  it('finds no calendar event to read or answer, and an empty log, for a member', async () => {
    assertClientCode(
      await clientCall(app, 'project/events/read', { eventsCode: 'abc' }, as()),
      4041,
      'no event',
    );
    assertClientCode(
      await clientCall(app, 'project/events/confirmJoin', { eventsCode: 'abc', status: 1 }, as()),
      4041,
      'no event to accept',
    );
    assertClientCode(
      await clientCall(app, 'project/events/confirmJoin', { eventsCode: 'abc', status: 7 }, as()),
      400,
      'a status the client never sends',
    );
    const log = await clientOk<{ list: unknown[]; total: number }>(
      app,
      'project/events/_getEventsLog',
      { eventsCode: 'abc', all: 0, page: 1, pageSize: 10 },
      { ...as(), minItems: 0 },
    );
    assert.deepEqual([log.list, log.total], [[], 0]);
    // A project of the member's keeps its Schedule tab empty as before.
    const project = await createProject(app, member.accessToken);
    const events = await clientOk<{ list: unknown[] }>(
      app,
      'project/events',
      { page: 1, pageSize: 10, projectCode: project.id, deleted: 0 },
      { ...as(), minItems: 0 },
    );
    assert.deepEqual(events.list, []);
  });
});
