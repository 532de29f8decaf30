import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember } from '../support/members';
import { createReplicatedDatabase, replicatedDb } from '../support/replica';

describe('project lists on a primary + replica pair', () => {
  let app: TestApp;
  let database: { name: string; drop: () => Promise<void> };

  before(async () => {
    database = await createReplicatedDatabase();
    app = await startTestApp({ config: { db: replicatedDb(database.name) } });
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('shows each created or changed project in the very next request, cache and replica notwithstanding', async () => {
    const someone = await registerMember(app);
    const token = someone.accessToken;
    for (let round = 1; round <= 15; round++) {
      // Warm the cache first, so that a stale page would be served if it were not dropped.
      await call(app, 'GET', '/api/v1/projects', { token });
      const created = await call<{ id: string }>(app, 'POST', '/api/v1/projects', {
        token,
        body: { name: `round ${round}` },
      });
      assert.equal(created.status, 201);
      const listed = await call<{ total: number; items: { id: string }[] }>(
        app,
        'GET',
        '/api/v1/projects',
        { token },
      );
      assert.equal(listed.body.total, round);
      assert.equal(listed.body.items[0].id, created.body.id);
      const read = await call(app, 'GET', `/api/v1/projects/${created.body.id}`, { token });
      assert.equal(read.status, 200);
      await call(app, 'PUT', `/api/v1/projects/${created.body.id}/collection`, { token });
      const collected = await call<{ total: number }>(
        app,
        'GET',
        '/api/v1/projects?filter=collected',
        { token },
      );
      assert.equal(collected.body.total, round);
    }
  });
});
