import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startTestApp, type TestApp } from '../app';
import { call } from '../http';
import { logIn, registerMember, type RegisteredMember } from '../members';
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

/**
 * The members an attack needs, made through the public API: the owner of every resource,
 * a stranger who knows nothing, and a member of the owner's projects without the owner role.
 */
export class AttackWorld {
  private constructor(
    private readonly app: TestApp,
    readonly owner: RegisteredMember,
    readonly stranger: RegisteredMember,
    readonly projectMember: RegisteredMember,
    private readonly organizationId: string,
    private readonly templateId: string,
  ) {}

  static async create(app: TestApp): Promise<AttackWorld> {
    const [owner, stranger, projectMember] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    const organizations = await call<{ id: string }[]>(app, 'GET', '/api/v1/organizations', {
      token: owner.accessToken,
    });
    assert.ok(organizations.body[0], `organizations: ${JSON.stringify(organizations.body)}`);
    const template = await systemTemplate(app, owner.accessToken);
    return new AttackWorld(
      app,
      owner,
      stranger,
      projectMember,
      organizations.body[0].id,
      template.id,
    );
  }

  /** A fresh session of a member. */
  async session(member: RegisteredMember): Promise<string> {
    return (await logIn(this.app, member.input)).accessToken;
  }

  /** The member's session, renewed when an attack (a logout) has ended it. */
  async liveSession(member: RegisteredMember): Promise<string> {
    const me = await call(this.app, 'GET', '/api/v1/me', { token: member.accessToken });
    if (me.status === 401) member.accessToken = await this.session(member);
    return member.accessToken;
  }

  /**
   * A new project of the owner with the project member in it, two stages, two tasks, a
   * comment, a file and a task member: routes that change or delete them get their own.
   */
  async resources(): Promise<ResourceSet> {
    const token = await this.liveSession(this.owner);
    const project = await createProject(this.app, token);
    const memberId = this.projectMember.id;
    await created(this.app, token, 'POST', `/api/v1/projects/${project.id}/members`, {
      memberId,
    });
    const stages = [
      await created(this.app, token, 'POST', `/api/v1/projects/${project.id}/stages`, {
        name: 'Attack stage one',
      }),
      await created(this.app, token, 'POST', `/api/v1/projects/${project.id}/stages`, {
        name: 'Attack stage two',
      }),
    ];
    const tasks = [
      await created(this.app, token, 'POST', `/api/v1/projects/${project.id}/tasks`, {
        stageId: stages[0],
        name: 'Attack task one',
      }),
      await created(this.app, token, 'POST', `/api/v1/projects/${project.id}/tasks`, {
        stageId: stages[0],
        name: 'Attack task two',
      }),
    ];
    await created(this.app, token, 'POST', `/api/v1/tasks/${tasks[0]}/members`, { memberId });
    const comment = await created(this.app, token, 'POST', `/api/v1/tasks/${tasks[0]}/comments`, {
      content: 'Attack comment',
    });
    const file = await uploadFile(this.app, token, tasks[0], Buffer.from('attack'), 'attack.txt');
    assert.equal(file.status, 201, JSON.stringify(file.body));
    return new ResourceSet({
      project: [project.id],
      stage: stages,
      task: tasks,
      activity: [comment],
      organization: [this.organizationId],
      member: [memberId],
      template: [this.templateId],
      file: [file.body.id],
    });
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
