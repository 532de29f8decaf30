import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '@/infra/database/migration-list';

const COMPILED = join(__dirname, '../../src/infra/database/migrations');

describe('the migration list', () => {
  it('holds every migration of migrations/, oldest first', () => {
    const files = readdirSync(COMPILED)
      .filter((file) => file.endsWith('.js'))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    assert.ok(files.length >= 30, 'the compiled migrations were found');
    const fromFiles = files.map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(join(COMPILED, file)) as Record<string, unknown>);
      assert.equal(exported.length, 1, `${file} exports one class`);
      return exported[0];
    });
    assert.deepEqual(
      MIGRATIONS.map((migration) => migration.name),
      fromFiles.map((migration) => (migration as { name: string }).name),
    );
    assert.deepEqual(MIGRATIONS, fromFiles);
  });

  it('names each migration after its class, which is what TypeORM records as applied', () => {
    for (const Migration of MIGRATIONS) {
      assert.equal(new Migration().name, Migration.name);
    }
  });
});
