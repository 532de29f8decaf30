import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization } from '../support/organizations';
import { board, createTask, type TaskBody } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's task privacy, task members, project exits and account administration", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationCode = '';
  const asOwner = () => ({ token: owner.accessToken, organizationCode });
  const asMember = () => ({ token: member.accessToken, organizationCode });

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    member = await registerMember(app);
    organizationCode = await personalOrganization(app, owner.accessToken);
    await addAccount(app, organizationCode, member.id, 'member');
  });
  after(() => app?.close());

  const readTask = (who: RegisteredMember, id: string) =>
    call<TaskBody & { private: boolean }>(app, 'GET', `/api/v1/tasks/${id}`, {
      token: who.accessToken,
    });

  it('makes a task private and open again as the task menu sends it', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const made = await clientOk<Data>(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 1 },
      asOwner(),
    );
    assert.equal(made.private, 1);
    assert.equal((await readTask(member, task.id)).status, 404);

    const denied = await clientCall(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 0 },
      asMember(),
    );
    assertClientCode(denied, 4041, 'a private task the member is not on');

    await clientOk(app, 'project/task/setPrivate', { taskCode: task.id, private: 0 }, asOwner());
    assert.equal((await readTask(member, task.id)).body.private, false);
    const refused = await clientCall(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 1 },
      asMember(),
    );
    assertClientCode(refused, 403, 'a member not on the task');
    assert.equal((await readTask(owner, task.id)).body.private, false);
  });
});
