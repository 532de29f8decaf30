import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { appConfigSchema } from '@/config/schema';
import { ALL_ENTITIES } from '@/entities';
import { openDataSource } from '@/infra/database/data-source.factory';
import { schemaFingerprint } from '@/infra/database/sqlite-schema';
import { RequestScope } from '@/infra/generations/request-scope';
import { USER_ENTITIES } from '@/modules/user/entities';

/**
 * The embedded profile's SQLite file keeps the fingerprint of the schema it was synchronized
 * to; a start synchronizes only when the entities' fingerprint differs from it.
 */
describe('the SQLite schema fingerprint', () => {
  let directory: string;
  let db: (typeof appConfigSchema.shape.db)['_output'];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'msproject-sqlite-schema-'));
    db = appConfigSchema.shape.db.parse({
      type: 'sqlite',
      sqlite: { path: join(directory, 'app.sqlite') },
      synchronize: true,
    });
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function withFile<T>(use: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const dataSource = await openDataSource(db, ALL_ENTITIES, new RequestScope());
    try {
      return await use(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }

  const storedFingerprint = async (dataSource: DataSource) =>
    (await dataSource.query<{ user_version: number }[]>('PRAGMA user_version'))[0].user_version;

  const membershipIndices = async (dataSource: DataSource) =>
    (
      await dataSource.query<{ name: string }[]>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'membership' AND sql IS NOT NULL ORDER BY name",
      )
    ).map((row) => row.name);

  let indices: string[] = [];

  it('synchronizes a new file and stores the fingerprint of the entities in it', async () => {
    await withFile(async (dataSource) => {
      indices = await membershipIndices(dataSource);
      assert.ok(indices.length > 0, 'the membership table and its indices exist');
      assert.notEqual(schemaFingerprint(dataSource), 0);
      assert.equal(await storedFingerprint(dataSource), schemaFingerprint(dataSource));
    });
  });

  it('leaves a file alone whose fingerprint matches the entities', async () => {
    // Hand-made drift that a synchronization would repair: it survives the next start.
    await withFile((dataSource) => dataSource.query(`DROP INDEX "${indices[0]}"`));
    await withFile(async (dataSource) => {
      assert.deepEqual(await membershipIndices(dataSource), indices.slice(1));
    });
  });

  it('synchronizes a file whose fingerprint differs, then stores the new one', async () => {
    await withFile((dataSource) => dataSource.query('PRAGMA user_version = 1'));
    await withFile(async (dataSource) => {
      assert.deepEqual(await membershipIndices(dataSource), indices);
      assert.equal(await storedFingerprint(dataSource), schemaFingerprint(dataSource));
    });
  });

  it('gives a different set of entities a different fingerprint', async () => {
    const some = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: USER_ENTITIES,
    });
    await some.initialize();
    try {
      const all = await withFile((dataSource) => Promise.resolve(schemaFingerprint(dataSource)));
      assert.notEqual(schemaFingerprint(some), all);
    } finally {
      await some.destroy();
    }
  });
});
