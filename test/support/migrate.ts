import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { testConfig } from './app';
import { createTestDatabase } from './databases';

const MIGRATE = join(__dirname, '../../src/migrate.js');

/** `migrate <args>` as the stack's one-shot job runs it, on the config in `configDir`. */
export function migrateIn(configDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [MIGRATE, ...args], {
    env: { ...process.env, CONFIG_DIR: configDir, APP_LOG__LEVEL: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** A fresh database with nothing migrated, and a config directory pointing `migrate` at it. */
export async function unmigratedDatabase(): Promise<{
  name: string;
  configDir: string;
  migrate: (...args: string[]) => string;
  drop: () => Promise<void>;
}> {
  const database = await createTestDatabase();
  const configDir = await mkdtemp(join(tmpdir(), 'msproject-migrate-'));
  const config = await testConfig(database.name);
  (config.db as { migrationsRun: boolean }).migrationsRun = false;
  await writeFile(join(configDir, 'config.yaml'), stringify(config));
  return {
    name: database.name,
    configDir,
    migrate: (...args) => migrateIn(configDir, ...args),
    drop: async () => {
      await database.drop();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
