import assert from 'node:assert/strict';
import { createConnection } from 'mysql2/promise';
import type { TestApp } from './app';
import { MARIADB } from './databases';
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
