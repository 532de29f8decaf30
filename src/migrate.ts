/**
 * Schema migrations for MySQL, against the database of the current dynamic config (Nacos,
 * snapshot or config/config.yaml, with APP_ overrides).
 *
 *   npm run migration:run                 apply pending migrations
 *   npm run migration:revert              undo the last one
 *   npm run migration:generate -- Name    write a migration for the entity changes
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigCenter } from './config/config-center';
import { dataSourceOptions } from './infra/database/data-source.options';
import { ALL_ENTITIES } from './entities';

const MIGRATIONS_SOURCE = join(process.cwd(), 'src/infra/database/migrations');

function migrationSource(name: string, timestamp: number, up: string[], down: string[]): string {
  const statements = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${statements(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${statements(down)}
  }
}
`;
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const center = await ConfigCenter.start();
  const { db } = center.config;
  if (db.type === 'sqlite') {
    throw new Error(
      'migrations are for MySQL; the embedded SQLite profile synchronizes its schema',
    );
  }
  const dataSource = new DataSource({
    ...dataSourceOptions(
      { ...db, separation: false, synchronize: false, migrationsRun: false },
      ALL_ENTITIES,
    ),
  });
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        console.log(
          applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'up to date',
        );
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        break;
      case 'generate': {
        if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name))
          throw new Error('usage: generate <PascalCaseName>');
        const sql = await dataSource.driver.createSchemaBuilder().log();
        if (sql.upQueries.length === 0) {
          console.log('no changes: the schema matches the entities');
          break;
        }
        const timestamp = Date.now();
        const file = join(MIGRATIONS_SOURCE, `${timestamp}-${name}.ts`);
        const up = sql.upQueries.map((query) => query.query);
        const down = sql.downQueries.map((query) => query.query).reverse();
        await writeFile(file, migrationSource(name, timestamp, up, down));
        console.log(
          `wrote ${file}; add ${name}${timestamp} to src/infra/database/migration-list.ts`,
        );
        break;
      }
      default:
        throw new Error('usage: migrate run | revert | generate <Name>');
    }
  } finally {
    await dataSource.destroy();
    await center.close();
  }
}

main().catch((error: Error) => {
  console.error(`migration failed: ${error.message}`);
  process.exitCode = 1;
});
