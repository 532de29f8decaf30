import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number };
type Header = {
  list: { notice: Data[] };
  totalSum: { notice: number };
};

describe("the original web client's system announcements", () => {
  let app: TestApp;
  let admin: RegisteredMember;
  let member: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [admin, member] = [await registerMember(app), await registerMember(app)];
    await reconfigure(app, { platform: { administrators: [admin.input.account] } });
  });
  after(() => app?.close());

  const as = (who: RegisteredMember) => ({ token: who.accessToken });
  const systemPage = (who: RegisteredMember, params: Data = {}) =>
    clientOk<List>(
      app,
      'project/notify',
      { page: 1, pageSize: 10, type: 'system', ...params },
      { ...as(who), minItems: 0 },
    );

  it('sends an announcement every member finds on the system page and in the bell', async () => {
    const sent = await clientOk<Data>(
      app,
      'project/notify/save',
      { title: '系统维护', content: '今晚 22:00 <b>停机</b>' },
      as(admin),
    );
    assert.equal(sent.title, '系统维护');
    const page = await systemPage(member);
    assert.equal(page.total, 1);
    const [row] = page.list;
    assert.equal(row.title, '系统维护');
    assert.equal(row.content, '今晚 22:00 &#60;b&#62;停机&#60;/b&#62;', 'shown as text, not HTML');
    assert.equal(row.is_read, 0);
    assert.equal(row.type, 'system');
    const rest = await call<{ items: { id: string; kind: string }[] }>(
      app,
      'GET',
      '/api/v1/me/notifications?kinds=system',
      as(member),
    );
    assert.deepEqual(
      rest.body.items.map((item) => item.id),
      [row.id],
    );
    const header = await clientOk<Header>(
      app,
      'project/notify/noReads',
      {},
      {
        ...as(member),
        minItems: 0,
      },
    );
    assert.ok(
      header.list.notice.some((notice) => notice.id === row.id),
      'the bell lists it among notices',
    );
    assert.equal(header.totalSum.notice, 1);
    assert.equal((await systemPage(member, { title: '维护' })).total, 1, 'searched by title');
    assert.equal((await systemPage(member, { title: '无关' })).total, 0);
    assert.equal((await systemPage(admin)).total, 0, 'the sender is not told');
  });

  it('edits what members see by the id save answered', async () => {
    const sent = await clientOk<Data>(
      app,
      'project/notify/save',
      { title: '放假通知', content: '周五放假' },
      as(admin),
    );
    await clientOk(
      app,
      'project/notify/edit',
      { id: sent.id, title: '放假通知（更新）', content: '周五、周一放假' },
      as(admin),
    );
    const [latest] = (await systemPage(member)).list;
    assert.deepEqual([latest.title, latest.content], ['放假通知（更新）', '周五、周一放假']);
  });

  it('answers code 403 to anyone but an administrator, and 400 for a missing title', async () => {
    const before = (await systemPage(admin)).total;
    const refused = await clientCall(
      app,
      'project/notify/save',
      { title: '我的公告', content: '不行' },
      as(member),
    );
    assertClientCode(refused, 403, "a member's announcement");
    const sent = await clientOk<Data>(
      app,
      'project/notify/save',
      { title: '原标题', content: '原内容' },
      as(admin),
    );
    const edit = await clientCall(
      app,
      'project/notify/edit',
      { id: sent.id, title: '改了', content: '改了' },
      as(member),
    );
    assertClientCode(edit, 403, "a member's edit");
    const blank = await clientCall(
      app,
      'project/notify/save',
      { title: '', content: '没有标题' },
      as(admin),
    );
    assertClientCode(blank, 400, 'no title');
    const [latest] = (await systemPage(member)).list;
    assert.deepEqual([latest.title, latest.content], ['原标题', '原内容']);
    assert.equal((await systemPage(admin)).total, before);
  });
});
