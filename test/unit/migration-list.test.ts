import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '@/infra/database/migration-list';

const SOURCES = join(__dirname, '../../../src/infra/database/migrations');

describe('the migration list', () => {
  it('holds every migration of migrations/, oldest first', () => {
    const files = readdirSync(SOURCES)
      .filter((file) => file.endsWith('.ts'))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    assert.ok(files.length >= 30, 'the migrations were found');
    const classes = files.map((file) => {
      const declared = [
        ...readFileSync(join(SOURCES, file), 'utf8').matchAll(/^export class (\w+)/gm),
      ];
      assert.equal(declared.length, 1, `${file} exports one class`);
      return declared[0][1];
    });
    assert.deepEqual(
      MIGRATIONS.map((migration) => migration.name),
      classes,
    );
  });

  it('names each migration after its class, which is what TypeORM records as applied', () => {
    for (const Migration of MIGRATIONS) {
      assert.equal(new Migration().name, Migration.name);
    }
  });
});
