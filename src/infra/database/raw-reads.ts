import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** One statement with its parameters; resolves to the driver's rows. */
export type RawQuery = (sql: string, parameters: unknown[]) => Promise<unknown>;

/**
 * Runs `work` on a read query runner: a replica's connection unless the request has used the
 * primary (read-your-writes, see replica-routing.ts), the primary's without replicas. The
 * statements are the driver's own (and traced by its instrumentation); no query building.
 */
export async function onReadRunner<T>(
  dataSource: DataSource,
  work: (query: RawQuery) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    return await work((sql, parameters) => runner.query(sql, parameters));
  } finally {
    await runner.release();
  }
}

/**
 * Turns rows selected by column name into entities of `target`, each value converted as
 * TypeORM's own mapping converts it (booleans, dates): the same objects, without its
 * per-query transformation machinery.
 */
export function hydrator<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
): (raw: Record<string, unknown>) => T {
  const columns = dataSource
    .getMetadata(target)
    .columns.map((column) => ({ column, name: column.databaseName }));
  const driver = dataSource.driver;
  return (raw) => {
    const entity: Record<string, unknown> = {};
    for (const { column, name } of columns) {
      entity[column.propertyName] = driver.prepareHydratedValue(raw[name], column);
    }
    return entity as T;
  };
}
