import assert from 'node:assert/strict';
import type { TestApp } from './app';
import { call } from './http';
import type { PageBody, TaskBody } from './projects';

/** A task as REST shows its place in its tree, its execution state and its estimate. */
export interface TreeTaskBody extends TaskBody {
  parentId: string | null;
  ancestors: { id: string; name: string | null }[];
  parentDone: boolean;
  childCount: number;
  doneChildCount: number;
  hasUndoneChildren: boolean;
  done: boolean;
  executionStatus: string;
  estimatedHours: number | null;
}

/** Adds a child task over REST as `token`'s member; fails the test on anything but 201. */
export async function createChildTask(
  app: TestApp,
  token: string,
  parentId: string,
  body: Record<string, unknown> = {},
): Promise<TreeTaskBody> {
  const response = await call<TreeTaskBody>(app, 'POST', `/api/v1/tasks/${parentId}/children`, {
    token,
    body: { name: `Child ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** A task over REST (200 asserted). */
export async function readTask(app: TestApp, token: string, id: string): Promise<TreeTaskBody> {
  const response = await call<TreeTaskBody>(app, 'GET', `/api/v1/tasks/${id}`, { token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** A task's child tasks over REST (200 asserted). */
export async function childrenOf(
  app: TestApp,
  token: string,
  id: string,
  query = '',
): Promise<PageBody<TreeTaskBody>> {
  const response = await call<PageBody<TreeTaskBody>>(
    app,
    'GET',
    `/api/v1/tasks/${id}/children${query}`,
    { token },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}
