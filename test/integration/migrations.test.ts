import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { stringify } from 'yaml';
import { startTestApp, testConfig, type TestApp } from '../support/app';
import { call } from '../support/http';
import { createTestDatabase, MARIADB } from '../support/databases';

const MIGRATE = join(__dirname, '../../src/migrate.js');

/** `migrate <args>` as the stack's one-shot job runs it, on the config in `configDir`. */
function migrateIn(configDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [MIGRATE, ...args], {
    env: { ...process.env, CONFIG_DIR: configDir, APP_LOG__LEVEL: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

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
  { name: 'AccountKeys', tables: [] },
];
const tablesUpTo = (count: number) =>
  MIGRATIONS.slice(0, count)
    .flatMap((migration) => migration.tables)
    .sort();

describe('migrations', () => {
  let configDir: string;
  let database: { name: string; drop: () => Promise<void> };

  before(async () => {
    database = await createTestDatabase();
    configDir = await mkdtemp(join(tmpdir(), 'msproject-migrate-'));
    const config = await testConfig(database.name);
    (config.db as { migrationsRun: boolean }).migrationsRun = false;
    await writeFile(join(configDir, 'config.yaml'), stringify(config));
  });

  after(async () => {
    await database?.drop();
    await rm(configDir, { recursive: true, force: true });
  });

  const migrate = (...args: string[]) => migrateIn(configDir, ...args);

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
