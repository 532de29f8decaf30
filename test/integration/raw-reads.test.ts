import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { hydrator } from '@/infra/database/raw-reads';
import { startTestApp, type TestApp } from '../support/app';
import { registerMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { call } from '../support/http';

describe('the list pages’ row mapping on MariaDB', () => {
  let app: TestApp;
  let dataSource: DataSource;

  before(async () => {
    app = await startTestApp();
    dataSource = app.app.get<DataSource>(getDataSourceToken());
    // Rows in the members', projects', tasks', activities' and notifications' tables, with
    // booleans, dates, numbers, nulls and JSON among their columns.
    const owner = await registerMember(app);
    const member = await registerMember(app);
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const done = await call(app, 'POST', `/api/v1/tasks/${task.id}/done`, {
      token: member.accessToken,
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });

  after(async () => {
    await app?.close();
  });

  it('maps every row of every table to the entity TypeORM itself reads', async () => {
    let compared = 0;
    for (const metadata of dataSource.entityMetadatas) {
      if (metadata.tableType !== 'regular' || metadata.primaryColumns.length === 0) continue;
      const order = metadata.primaryColumns.map((column) => `\`${column.databaseName}\``);
      const rows = await dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM \`${metadata.tableName}\` ORDER BY ${order.join(', ')}`,
      );
      if (rows.length === 0) continue;
      const orderBy = Object.fromEntries(
        metadata.primaryColumns.map((column) => [column.propertyName, 'ASC']),
      );
      const read = await dataSource
        .getRepository(metadata.target)
        .find({ order: orderBy, withDeleted: true, loadEagerRelations: false });
      const hydrate = hydrator(dataSource, metadata.target);
      // Columns such as a password hash are left out of TypeORM's reads unless asked for.
      const unselected = metadata.columns
        .filter((column) => !column.isSelect)
        .map((column) => column.propertyName);
      const selected = (entity: Record<string, unknown>) => {
        const copy = { ...entity };
        for (const property of unselected) delete copy[property];
        return copy;
      };
      assert.deepEqual(
        rows.map((row) => selected(hydrate(row))),
        read.map((entity) => selected(entity as Record<string, unknown>)),
        metadata.tableName,
      );
      compared++;
    }
    assert.ok(compared >= 8, `${compared} tables with rows`);
  });
});
