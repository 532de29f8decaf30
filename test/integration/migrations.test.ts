import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { MARIADB } from '../support/databases';
import { migrateIn, unmigratedDatabase } from '../support/migrate';

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
    assert.match(migrate('run'), /applied: Initial\d+, Projects\d+/);
    assert.deepEqual(await tables(), [
      'department',
      'member',
      'member_session',
      'membership',
      'menu',
      'migrations',
      'notification',
      'org_role',
      'org_role_node',
      'organization',
      'permission_node',
      'project',
      'project_activity',
      'project_collection',
      'project_member',
      'project_template',
      'project_template_stage',
      'task',
      'task_member',
      'task_stage',
    ]);
    assert.match(migrate('run'), /up to date/);
  });

  it('leaves nothing for migration:generate: the migrations match the entities', () => {
    assert.match(migrate('generate', 'Probe'), /no changes: the schema matches the entities/);
  });

  it('drops what it created with migration:revert, one migration at a time', async () => {
    const created = await tables();
    const without = (...dropped: string[]) => created.filter((table) => !dropped.includes(table));
    const catalogue = ['menu', 'permission_node'];
    const organizations = ['department', 'notification', 'org_role', 'org_role_node'];
    // Newest first: the catalogue and menu, the organizations' tables, projects, members.
    for (const left of [
      without(...catalogue),
      without(...catalogue, ...organizations),
      ['member', 'member_session', 'membership', 'migrations', 'organization'],
      ['migrations'],
    ]) {
      migrate('revert');
      assert.deepEqual(await tables(), left);
    }
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
      ['Initial', 'Projects', 'Organizations', 'AccessCatalogue'],
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
