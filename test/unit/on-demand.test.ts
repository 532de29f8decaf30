import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TYPEORM_DRIVERS } from '@/infra/on-demand';

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
    const installer = join(__dirname, '../../src/infra/on-demand.js');
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

describe("zod's locales on demand", () => {
  it('keeps the same table of locales, each the one zod ships, loaded when first read', () => {
    const installer = join(__dirname, '../../src/infra/on-demand.js');
    const script = (lazy: boolean) => `
      ${lazy ? `require(${JSON.stringify(installer)}).loadZodLocalesOnDemand();` : ''}
      const z = require('zod');
      const loaded = () => Object.keys(require.cache).filter((file) => file.includes('/zod/v4/locales/')).length;
      const atStart = loaded();
      const names = Object.keys(z.locales);
      const de = z.locales.de;
      const same = de === require(require.resolve('zod').replace(/index\.cjs$/, 'v4/locales/de.cjs'));
      z.config(de());
      const message = z.string().safeParse(1).error.issues[0].message;
      process.stdout.write(JSON.stringify({ atStart, names, same, message, afterReading: loaded() }));
    `;
    const run = (lazy: boolean) => {
      const child = spawnSync(process.execPath, ['-e', script(lazy)], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as Record<string, unknown>;
    };
    const [eager, lazy] = [run(false), run(true)];
    const eagerAtStart = eager.atStart as number;
    assert.ok(eagerAtStart > 60, `zod's own index loads every locale: ${eagerAtStart}`);
    assert.equal(lazy.atStart, 2, 'the table and English');
    assert.equal(lazy.afterReading, 3, 'and the one read');
    assert.deepEqual(lazy.names, eager.names);
    assert.equal(lazy.same, true);
    assert.equal(lazy.message, eager.message);
  });
});
