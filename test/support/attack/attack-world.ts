import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { reconfigure, startTestApp, type TestApp } from '../app';
import { call } from '../http';
import { claimsOf } from '../tokens';
import { logIn, registerMember, type RegisteredMember } from '../members';
import {
  addAccount,
  createDepartment,
  invitationInto,
  invite,
  personalOrganization,
  roleOfKind,
} from '../organizations';
import { uploadFile } from '../files';
import { createProject, systemTemplate } from '../projects';
import type { ResourceKind } from './id-kinds';

/** One resource of each kind, owned by the world's owner, by kind. */
export class ResourceSet {
  constructor(private readonly ids: Record<ResourceKind, string[]>) {}

  one(kind: ResourceKind): string {
    return this.ids[kind][0];
  }

  /** Every id of the kind in the set: a list field gets all of them (stage order needs all). */
  all(kind: ResourceKind): string[] {
    return this.ids[kind];
  }

  /** An id of another owned kind, to use where `kind` is expected. */
  otherThan(kind: ResourceKind): string {
    return this.one(kind === 'project' ? 'task' : 'project');
  }
}

/** A POST that must succeed, as `as` (the owner by default): the id it created. */
type Post = (path: string, body: Record<string, unknown>, as?: string) => Promise<string>;

/** A session is renewed this long before its access token ends. */
const RENEW_BEFORE_END_MS = 5 * 60_000;

/** Whether the access token ends within `ms` (its `exp`, in seconds). */
function endsWithin(token: string, ms: number): boolean {
  const exp = claimsOf(token)?.exp;
  return typeof exp === 'number' && exp * 1000 - Date.now() < ms;
}

async function created(
  app: TestApp,
  token: string,
  method: string,
  path: string,
  body: Record<string, unknown>,
): Promise<string> {
  const response = await call<{ id: string }>(app, method, path, { token, body });
  assert.ok(
    response.status >= 200 && response.status < 300,
    `${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
  );
  return response.body.id;
}

/** `member` joins the owner's organization by invitation and gets its admin role. */
async function joinAsAdmin(
  app: TestApp,
  owner: RegisteredMember,
  organizationId: string,
  member: RegisteredMember,
): Promise<void> {
  await invite(app, owner.accessToken, organizationId, member.input.account);
  const invitation = await invitationInto(app, member.accessToken, organizationId);
  await created(app, member.accessToken, 'POST', `/api/v1/invitations/${invitation.id}/accept`, {});
  // Looked up by member: the attacks add an account each, more than one page holds.
  const accounts = await call<{ items: { id: string }[] }>(
    app,
    'GET',
    `/api/v1/organizations/${organizationId}/accounts?memberId=${member.id}`,
    { token: owner.accessToken },
  );
  const [joined] = accounts.body.items;
  assert.ok(joined, `no account of ${member.id}: ${JSON.stringify(accounts.body)}`);
  const admin = await roleOfKind(app, owner.accessToken, organizationId, 'admin');
  await created(
    app,
    owner.accessToken,
    'PUT',
    `/api/v1/organizations/${organizationId}/accounts/${joined.id}/role`,
    { roleId: admin.id },
  );
}

/** A system announcement of the deployment's administrator whose token this is: its id. */
function sendAnnouncement(app: TestApp, token: string): Promise<string> {
  return created(app, token, 'POST', '/api/v1/announcements', {
    title: 'Attack announcement',
    content: 'Attack text',
  });
}

/**
 * The members an attack needs, made through the public API: the owner of every resource,
 * who also administers the deployment (its menu and node catalogue), a stranger who knows
 * nothing, and a member of the owner's projects without the owner role,
 * who joined the owner's organization by invitation and administers it (its admin role). The
 * owner has an invitation of their own, into the project member's organization (answered
 * once; later answers are refused as already answered), and has sent a system announcement.
 */
export class AttackWorld {
  private constructor(
    private readonly app: TestApp,
    readonly owner: RegisteredMember,
    readonly stranger: RegisteredMember,
    readonly projectMember: RegisteredMember,
    private readonly organizationId: string,
    private readonly templateId: string,
    private readonly invitationId: string,
    private announcementId: string,
  ) {}

  static async create(app: TestApp): Promise<AttackWorld> {
    const [owner, stranger, projectMember] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    // The owner administers the deployment too (its menu and node catalogue).
    await reconfigure(app, { platform: { administrators: [owner.input.account] } });
    const organizationId = await personalOrganization(app, owner.accessToken);
    await joinAsAdmin(app, owner, organizationId, projectMember);
    const elsewhere = await personalOrganization(app, projectMember.accessToken);
    await invite(app, projectMember.accessToken, elsewhere, owner.input.account);
    const invitation = await invitationInto(app, owner.accessToken, elsewhere);
    const template = await systemTemplate(app, owner.accessToken);
    const announcement = await sendAnnouncement(app, owner.accessToken);
    return new AttackWorld(
      app,
      owner,
      stranger,
      projectMember,
      organizationId,
      template.id,
      invitation.id,
      announcement,
    );
  }

  /** A fresh session of a member. */
  async session(member: RegisteredMember): Promise<string> {
    return (await logIn(this.app, member.input)).accessToken;
  }

  /**
   * The member's session, renewed when an attack (a logout) has ended it or when its access
   * token is near its end (the suites outlast one token's life).
   */
  async liveSession(member: RegisteredMember): Promise<string> {
    const me = await call(this.app, 'GET', '/api/v1/me', { token: member.accessToken });
    if (me.status === 401 || endsWithin(member.accessToken, RENEW_BEFORE_END_MS)) {
      member.accessToken = await this.session(member);
    }
    return member.accessToken;
  }

  /**
   * A new project of the owner with the project member in it, two stages, two tasks, a
   * comment, a task member, a file, a work time entry (the project member's own: its author
   * may change it, as the owner may), a notification of the owner (the project member mentions
   * them), a task workflow, a task tag on the first task, an information field, a menu entry,
   * and a department with an account of its own in it: routes that change or delete them get
   * their own. The owner's system announcement is the world's until a route deletes it.
   */
  async resources(): Promise<ResourceSet> {
    // The stranger's and the project member's tokens are the attacks' own: keep them alive too.
    const [, theirToken, token] = await Promise.all([
      this.liveSession(this.stranger),
      this.liveSession(this.projectMember),
      this.liveSession(this.owner),
    ]);
    // An attack may have made the project member leave the organization: they join again.
    const theirs = await call<{ id: string }[]>(this.app, 'GET', '/api/v1/organizations', {
      token: theirToken,
    });
    if (!theirs.body.some((organization) => organization.id === this.organizationId)) {
      await joinAsAdmin(this.app, this.owner, this.organizationId, this.projectMember);
    }
    const memberId = this.projectMember.id;
    const post: Post = (path, body, as = token) => created(this.app, as, 'POST', path, body);
    // Independent chains at once; each chain keeps the order its resources need.
    const [board, organization, menu, announcement] = await Promise.all([
      this.board(token, theirToken, post),
      this.organizationResources(token),
      post('/api/v1/menus', { title: 'Attack menu', url: 'attack' }),
      this.liveAnnouncement(token),
    ]);
    return new ResourceSet({
      ...board,
      ...organization,
      organization: [this.organizationId],
      member: [memberId],
      template: [this.templateId],
      invitation: [this.invitationId],
      announcement: [announcement],
      menu: [menu],
    });
  }

  /** A project with the project member in it and everything of its board (see `resources`). */
  private async board(token: string, theirToken: string, post: Post) {
    const memberId = this.projectMember.id;
    const project = (await createProject(this.app, token)).id;
    await post(`/api/v1/projects/${project}/members`, { memberId });
    const stages = await Promise.all(
      ['Attack stage one', 'Attack stage two'].map((name) =>
        post(`/api/v1/projects/${project}/stages`, { name }),
      ),
    );
    const tasks = await Promise.all(
      ['Attack task one', 'Attack task two'].map((name) =>
        post(`/api/v1/projects/${project}/tasks`, { stageId: stages[0], name }),
      ),
    );
    const [talk, file, workflow, version, tag, infoField] = await Promise.all([
      this.taskTalk(tasks[0], token, theirToken, post),
      uploadFile(this.app, token, tasks[0], Buffer.from('attack'), 'attack.txt'),
      // A workflow of the second stage that no attack sets off (its tasks are in the first).
      post(`/api/v1/projects/${project}/task-workflows`, {
        name: 'Attack workflow',
        trigger: { stageId: stages[1], event: 'undone' },
        actions: [{ type: 'assign', memberId }],
      }),
      this.versionWith(project, tasks[0], token, post),
      this.tagOn(project, tasks[0], token, post),
      post(`/api/v1/projects/${project}/info-fields`, {
        name: 'Attack field',
        value: 'Attack value',
      }),
    ]);
    assert.equal(file.status, 201, JSON.stringify(file.body));
    return {
      project: [project],
      stage: stages,
      task: tasks,
      file: [file.body.id],
      taskWorkflow: [workflow],
      taskTag: [tag],
      projectInfo: [infoField],
      ...talk,
      ...version,
    };
  }

  /**
   * On the task: the project member as its member, a comment, the project member's work time,
   * and their mention of the owner, which gives the owner a notification.
   */
  private async taskTalk(task: string, token: string, theirToken: string, post: Post) {
    const [, comment, workTime] = await Promise.all([
      post(`/api/v1/tasks/${task}/members`, { memberId: this.projectMember.id }),
      post(`/api/v1/tasks/${task}/comments`, { content: 'Attack comment' }),
      post(`/api/v1/tasks/${task}/work-times`, { hours: 1.5 }, theirToken),
      post(
        `/api/v1/tasks/${task}/comments`,
        { content: 'Attack mention', mentions: [this.owner.id] },
        theirToken,
      ),
    ]);
    const notifications = await call<{ items: { id: string }[] }>(
      this.app,
      'GET',
      '/api/v1/me/notifications',
      { token },
    );
    return {
      activity: [comment],
      workTime: [workTime],
      notification: [notifications.body.items[0].id],
    };
  }

  /** A feature library of the project with a version holding the task. */
  private async versionWith(project: string, task: string, token: string, post: Post) {
    const feature = await post(`/api/v1/projects/${project}/features`, { name: 'Attack library' });
    const version = await post(`/api/v1/features/${feature}/versions`, { name: 'Attack version' });
    await call(this.app, 'POST', `/api/v1/versions/${version}/tasks`, {
      token,
      body: { taskIds: [task] },
    });
    return { feature: [feature], version: [version] };
  }

  /** A task tag of the project, set on the task. */
  private async tagOn(project: string, task: string, token: string, post: Post): Promise<string> {
    const tag = await post(`/api/v1/projects/${project}/task-tags`, {
      name: 'Attack tag',
      color: 'red',
    });
    await created(this.app, token, 'PUT', `/api/v1/tasks/${task}/tags/${tag}`, {});
    return tag;
  }

  /** A department, a role, and an account of its own in the department. */
  private async organizationResources(token: string) {
    const [department, role, holder] = await Promise.all([
      createDepartment(this.app, token, this.organizationId, 'Attack department'),
      created(this.app, token, 'POST', `/api/v1/organizations/${this.organizationId}/roles`, {
        name: `Attack role ${Math.random().toString(36).slice(2, 10)}`,
      }),
      // An account of its own per attack (routes may disable or remove it), whose role may change.
      registerMember(this.app),
    ]);
    const account = await addAccount(this.app, this.organizationId, holder.id, 'member');
    await created(
      this.app,
      token,
      'POST',
      `/api/v1/organizations/${this.organizationId}/departments/${department.id}/members`,
      { accountId: account },
    );
    return { department: [department.id], role: [role], account: [account] };
  }

  /** The owner's system announcement: sending one tells every member, so only once deleted. */
  private async liveAnnouncement(token: string): Promise<string> {
    const announcement = `/api/v1/announcements/${this.announcementId}`;
    if ((await call(this.app, 'GET', announcement, { token })).status === 404) {
      this.announcementId = await sendAnnouncement(this.app, token);
    }
    return this.announcementId;
  }
}

/**
 * For a describe block: the app started and its fixture built before the tests, the app
 * closed after them. The returned object is filled in by then.
 */
export function attackedApp(): { app: TestApp; world: AttackWorld } {
  const subject = {} as { app: TestApp; world: AttackWorld };
  before(async () => {
    subject.app = await startTestApp();
    subject.world = await AttackWorld.create(subject.app);
  });
  after(async () => {
    await subject.app?.close();
  });
  return subject;
}
