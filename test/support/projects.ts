import assert from 'node:assert/strict';
import { createConnection } from 'mysql2/promise';
import type { TestApp } from './app';
import { FEED_TOTALS_SQL, MEMBER_FEED_SQL } from '@/infra/database/list-totals';
import { MARIADB } from './databases';
import { grpcClient } from './grpc-client';
import { call } from './http';

export interface ProjectBody {
  id: string;
  name: string;
  myRole: string;
  collected: boolean;
  archived: boolean;
  deleted: boolean;
  owner: { id: string; name: string };
  templateId: string | null;
}

/** A page of a list, as every list route answers it. */
export interface PageBody<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface StageBody {
  id: string;
  name: string;
}

export interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** Creates a project over REST as `token`'s member; fails the test on anything but 201. */
export async function createProject(
  app: TestApp,
  token: string,
  body: Record<string, unknown> = {},
): Promise<ProjectBody> {
  const response = await call<ProjectBody>(app, 'POST', '/api/v1/projects', {
    token,
    body: { name: `Project ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** A project of `owner`, with `member` in it, on a system template's stages. */
export async function board(
  app: TestApp,
  owner: { accessToken: string },
  member: { id: string },
): Promise<{ project: ProjectBody; stages: StageBody[] }> {
  const template = await systemTemplate(app, owner.accessToken);
  const project = await createProject(app, owner.accessToken, { templateId: template.id });
  const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
    token: owner.accessToken,
    body: { memberId: member.id },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const stages = await call<PageBody<StageBody>>(
    app,
    'GET',
    `/api/v1/projects/${project.id}/stages`,
    { token: owner.accessToken },
  );
  return { project, stages: stages.body.items };
}

export interface TaskBody {
  id: string;
  name: string;
  number: number;
  sort: number;
  stageId: string;
  deleted: boolean;
  deletedAt: string | null;
  creator: { id: string };
}

/** Creates a task over REST as `token`'s member; fails the test on anything but 201. */
export async function createTask(
  app: TestApp,
  token: string,
  projectId: string,
  stageId: string,
  body: Record<string, unknown> = {},
): Promise<TaskBody> {
  const response = await call<TaskBody>(app, 'POST', `/api/v1/projects/${projectId}/tasks`, {
    token,
    body: { stageId, name: `Task ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** Clients of msproject.project.v1's ProjectService and TaskService on the app's gRPC port. */
export function projectGrpcClients(app: TestApp) {
  const client = (service: string) =>
    grpcClient(app.grpcAddress, 'project/v1/project.proto', `msproject.project.v1.${service}`);
  return { projects: client('ProjectService'), tasks: client('TaskService') };
}

/** The first system template with its id (seeded by the migrations). */
export async function systemTemplate(
  app: TestApp,
  token: string,
): Promise<{ id: string; name: string; stages: string[] }> {
  const response = await call<{ items: { id: string; name: string; stages: string[] }[] }>(
    app,
    'GET',
    '/api/v1/project-templates?scope=system',
    { token },
  );
  assert.equal(response.status, 200);
  return response.body.items[0];
}

/** Runs SQL on the app's primary database (as root on the local MariaDB). */
export async function sql<T = Record<string, unknown>>(
  app: TestApp,
  statement: string,
  params: unknown[] = [],
): Promise<T[]> {
  const connection = await createConnection({ ...MARIADB, database: app.database });
  try {
    const [rows] = (await connection.query(statement, params)) as unknown as [T[]];
    return rows;
  } finally {
    await connection.end();
  }
}

/**
 * Every member's activity feed (its member_feed rows and its counter) rebuilt from the rows,
 * as the migration fills them: for entries and tasks a test seeds with SQL, past the writes
 * that keep the feeds.
 */
export async function recountActivityFeeds(app: TestApp): Promise<void> {
  await sql(app, 'DELETE FROM member_feed');
  await sql(app, MEMBER_FEED_SQL);
  await sql(app, "DELETE FROM list_total WHERE list = 'activity'");
  await sql(app, FEED_TOTALS_SQL);
}

/**
 * Holds `LOCK TABLES <table> WRITE` on its own connection until release(): a transaction of
 * the app that reaches the table waits there, with the locks it took so far still held. That
 * pauses a request mid-transaction, to interleave it with another one deterministically.
 */
export async function holdTable(
  app: TestApp,
  table: string,
): Promise<{ release: () => Promise<void> }> {
  const connection = await createConnection({ ...MARIADB, database: app.database });
  await connection.query(`LOCK TABLES \`${table}\` WRITE`);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await connection.query('UNLOCK TABLES');
      await connection.end();
    },
  };
}

/** Statements on the app's database now waiting: for a table (metadata) lock, for a row lock. */
export async function blockedStatements(app: TestApp): Promise<{ onTable: number; onRow: number }> {
  const [counts] = await sql<{ onTable: number; onRow: number }>(
    app,
    `SELECT
       (SELECT COUNT(*) FROM information_schema.PROCESSLIST
         WHERE DB = ? AND STATE = 'Waiting for table metadata lock') AS onTable,
       (SELECT COUNT(*) FROM information_schema.INNODB_TRX trx
         JOIN information_schema.PROCESSLIST process ON process.ID = trx.trx_mysql_thread_id
         WHERE process.DB = ? AND trx.trx_state = 'LOCK WAIT') AS onRow`,
    [app.database, app.database],
  );
  return { onTable: Number(counts.onTable), onRow: Number(counts.onRow) };
}

/**
 * Waits until at least `onTable` statements wait for a table lock, `onRow` for a row lock and
 * `either` for one or the other (or `until` settles first, when given); fails after `timeoutMs`.
 */
export async function waitForBlocked(
  app: TestApp,
  want: { onTable?: number; onRow?: number; either?: number },
  options: { until?: Promise<unknown>; timeoutMs?: number } = {},
): Promise<void> {
  let settled = false;
  void options.until?.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const now = await blockedStatements(app);
    if (
      now.onTable >= (want.onTable ?? 0) &&
      now.onRow >= (want.onRow ?? 0) &&
      now.onTable + now.onRow >= (want.either ?? 0)
    ) {
      return;
    }
    if (settled) return;
    if (Date.now() > deadline) {
      throw new Error(`still not blocked: ${JSON.stringify(now)}, want ${JSON.stringify(want)}`);
    }
    // InnoDB refreshes INNODB_TRX only when nobody read it for 100 ms: poll slower than that.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
