import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';

/** Read once: a TypeORM upgrade may synchronize the same entities differently. */
const TYPEORM_VERSION = (
  JSON.parse(readFileSync(join(dirname(require.resolve('typeorm')), 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

function named(value: unknown): unknown {
  return typeof value === 'function' ? (value as { name?: string }).name || String(value) : value;
}

/**
 * A digest of the schema the DataSource's entities describe (tables, columns, indices, unique
 * and check constraints, foreign keys) and of the TypeORM version that synchronizes them, as a
 * non-zero 32-bit integer: what a SQLite file keeps in `PRAGMA user_version` (0 when new).
 */
export function schemaFingerprint(dataSource: DataSource): number {
  const tables = dataSource.entityMetadatas
    .map((entity) => ({
      table: entity.tablePath,
      columns: entity.columns.map((column) => [
        column.databaseName,
        named(column.type),
        column.length,
        column.precision,
        column.scale,
        column.unsigned,
        column.isNullable,
        column.isPrimary,
        column.isGenerated,
        column.generationStrategy,
        column.enum,
        column.asExpression,
        column.generatedType,
        named(column.default),
        column.collation,
      ]),
      indices: entity.indices.map((index) => [
        index.name,
        index.columns.map((column) => column.databaseName),
        index.isUnique,
        index.where,
      ]),
      uniques: entity.uniques.map((unique) => [
        unique.name,
        unique.columns.map((column) => column.databaseName),
      ]),
      checks: entity.checks.map((check) => [check.name, check.expression]),
      foreignKeys: entity.foreignKeys.map((key) => [
        key.name,
        key.columnNames,
        key.referencedTablePath,
        key.referencedColumnNames,
        key.onDelete,
        key.onUpdate,
        key.deferrable,
      ]),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
  const digest = createHash('sha256')
    .update(JSON.stringify({ typeorm: TYPEORM_VERSION, tables }))
    .digest();
  return digest.readInt32BE(0) || 1;
}

/**
 * Synchronizes a SQLite file's schema with the entities unless the file says it already
 * matches them: its stored fingerprint equals the entities'. An unchanged file is not read
 * table by table and compared on every start. A synchronization that fails leaves the old fingerprint, so the next start tries again.
 * Returns whether it synchronized.
 */
export async function synchronizeSqliteSchema(dataSource: DataSource): Promise<boolean> {
  const wanted = schemaFingerprint(dataSource);
  const [{ user_version: stored }] =
    await dataSource.query<{ user_version: number }[]>('PRAGMA user_version');
  if (stored === wanted) return false;
  await dataSource.synchronize();
  await dataSource.query(`PRAGMA user_version = ${wanted}`);
  return true;
}
