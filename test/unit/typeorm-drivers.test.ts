import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TYPEORM_DRIVERS } from '@/infra/database/typeorm-drivers';

describe("TypeORM's drivers on demand", () => {
  it("names, for every connection type, the driver TypeORM's own factory creates", () => {
    const source = readFileSync(require.resolve('typeorm/driver/DriverFactory'), 'utf8');
    // `const XDriver_1 = require("./dir/XDriver");` and `case "type": return new XDriver_1.XDriver(`
    const files = new Map(
      [...source.matchAll(/const (\w+)_1 = require\("\.\/([\w/-]+)"\);/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );
    const theirs = Object.fromEntries(
      [...source.matchAll(/case "([\w-]+)":\s*return new (\w+)_1\.(\w+)\(/g)].map((match) => [
        match[1],
        [files.get(match[2]), match[3]],
      ]),
    );
    assert.ok(Object.keys(theirs).length >= 18, 'the factory was read');
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(TYPEORM_DRIVERS).map(([type, entry]) => [type, [...entry]]),
      ),
      theirs,
    );
  });

  it('loads only the driver a data source uses, which works as before, and refuses an unknown type as TypeORM does', () => {
    const installer = join(__dirname, '../../src/infra/database/typeorm-drivers.js');
    const script = `
      require(${JSON.stringify(installer)}).loadTypeormDriversOnDemand();
      const { DataSource } = require('typeorm');
      const drivers = () => Object.keys(require.cache)
        .filter((file) => file.includes('/typeorm/driver/') && /Driver\\.js$/.test(file))
        .map((file) => file.split('/typeorm/driver/')[1]).sort();
      const before = drivers();
      const source = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
      let unknown;
      try { new DataSource({ type: 'no-such-database' }); } catch (error) { unknown = error.name; }
      source.initialize()
        .then(() => source.query('SELECT 40 + 2 AS answer'))
        .then((rows) => {
          process.stdout.write(JSON.stringify({ before, after: drivers(), rows, unknown }));
          return source.destroy();
        });
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      before: [],
      after: ['better-sqlite3/BetterSqlite3Driver.js', 'sqlite-abstract/AbstractSqliteDriver.js'],
      rows: [{ answer: 42 }],
      unknown: 'MissingDriverError',
    });
  });
});
