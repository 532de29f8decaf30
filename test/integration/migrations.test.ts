import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { MARIADB } from '../support/databases';
import { migrateIn, unmigratedDatabase } from '../support/migrate';

/** The committed migrations in order, with the tables each creates. */
const MIGRATIONS: { name: string; tables: string[] }[] = [
  {
    name: 'Initial',
    tables: ['member', 'member_session', 'membership', 'migrations', 'organization'],
  },
  {
    name: 'Projects',
    tables: [
      'project',
      'project_activity',
      'project_collection',
      'project_member',
      'project_template',
      'project_template_stage',
      'task',
      'task_member',
      'task_stage',
    ],
  },
  { name: 'Organizations', tables: ['department', 'notification', 'org_role', 'org_role_node'] },
  { name: 'Invitations', tables: ['invitation'] },
  { name: 'TaskWorkTimeAndRecycleBin', tables: ['task_work_time'] },
  { name: 'AccessCatalogue', tables: ['menu', 'permission_node'] },
  { name: 'Attachments', tables: ['file'] },
  { name: 'AccountKeys', tables: [] },
  { name: 'ProjectSettings', tables: [] },
  { name: 'ListTotals', tables: ['list_total'] },
  { name: 'ChildTasksStatusAndEstimates', tables: [] },
  { name: 'ActivityFeedTotals', tables: [] },
  { name: 'MemberAvatars', tables: ['member_avatar'] },
  { name: 'AccountContactCards', tables: [] },
  { name: 'InviteLinks', tables: ['invite_link'] },
  { name: 'RoleStatus', tables: [] },
  { name: 'TaskListTotals', tables: [] },
  { name: 'OrganizationTemplates', tables: [] },
  { name: 'MemberFeed', tables: ['member_feed'] },
  { name: 'TaskLikesAndStars', tables: ['task_collection', 'task_like'] },
  {
    name: 'ProjectVersions',
    tables: ['project_feature', 'project_version', 'project_version_log'],
  },
  { name: 'TaskWorkflows', tables: ['task_workflow', 'task_workflow_action'] },
  { name: 'OrganizationAddress', tables: [] },
  { name: 'ProjectInviteLinks', tables: [] },
  { name: 'SystemSettings', tables: ['system_setting'] },
  { name: 'TaskTags', tables: ['task_tag', 'task_to_tag'] },
  { name: 'ProjectInfo', tables: ['project_info'] },
  { name: 'SystemAnnouncements', tables: ['announcement'] },
  { name: 'AnnouncementDeletion', tables: [] },
  { name: 'ScheduleTabMenu', tables: [] },
];
const tablesUpTo = (count: number) =>
  MIGRATIONS.slice(0, count)
    .flatMap((migration) => migration.tables)
    .sort();

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof unmigratedDatabase>>;

  before(async () => {
    database = await unmigratedDatabase();
  });

  after(async () => {
    await database?.drop();
  });

  const migrate = (...args: string[]) => database.migrate(...args);

  async function tables(): Promise<string[]> {
    const connection = await createConnection({ ...MARIADB, database: database.name });
    const [rows] = (await connection.query('SHOW TABLES')) as unknown as [Record<string, string>[]];
    await connection.end();
    return rows.map((row) => Object.values(row)[0]).sort();
  }

  it('creates every table with migration:run', async () => {
    assert.match(
      migrate('run'),
      new RegExp(
        `applied: ${MIGRATIONS.map((migration) => `${migration.name}\\d+`).join(', ')}$`,
        'm',
      ),
    );
    assert.deepEqual(await tables(), tablesUpTo(MIGRATIONS.length));
    assert.match(migrate('run'), /up to date/);
  });

  it('leaves nothing for migration:generate: the migrations match the entities', () => {
    assert.match(migrate('generate', 'Probe'), /no changes: the schema matches the entities/);
  });

  it('drops what it created with migration:revert, one migration at a time', async () => {
    for (let left = MIGRATIONS.length - 1; left >= 1; left--) {
      migrate('revert');
      assert.deepEqual(
        await tables(),
        tablesUpTo(left),
        `after reverting ${MIGRATIONS[left].name}`,
      );
    }
    migrate('revert');
    assert.deepEqual(await tables(), ['migrations']);
  });
});

describe('readiness and migrations', () => {
  let app: TestApp;

  before(async () => {
    // Nothing runs the migrations: the database has no tables.
    app = await startTestApp({ config: { db: { migrationsRun: false } } });
  });

  after(async () => {
    await app?.close();
  });

  interface Readiness {
    status: string;
    details?: { migrations?: { status: string; pending?: string[] } };
  }

  it('is not ready while a committed migration is pending, naming it', async () => {
    const ready = await call<Readiness>(app, 'GET', '/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.details?.migrations?.status, 'down');
    const pending = ready.body.details?.migrations?.pending ?? [];
    assert.deepEqual(
      pending.map((name) => name.replace(/\d{13}$/, '')),
      MIGRATIONS.map((migration) => migration.name),
    );
  });

  it('is ready once the migrations have run', async () => {
    assert.match(migrateIn(app.configDir, 'run'), /applied: Initial\d+, Projects\d+/);
    // Readiness reuses its answer for a few seconds; wait for the next one, within bounds.
    const deadline = Date.now() + 15_000;
    let ready = await call<Readiness>(app, 'GET', '/health/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ready = await call<Readiness>(app, 'GET', '/health/ready');
    }
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body.details?.migrations, { status: 'up', pending: [] });
  });
});
