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
 * The column types MySQL's driver converts when it reads a value (MysqlDriver
 * prepareHydratedValue); it hands every other value on as it came, unless the column has a
 * transformer.
 */
const MYSQL_CONVERTED_TYPES = new Set<unknown>([
  Boolean,
  'bool',
  'boolean',
  Date,
  'datetime',
  'date',
  'time',
  'json',
  'simple-array',
  'simple-json',
  'enum',
  'simple-enum',
  'set',
  Number,
]);

/**
 * Turns rows selected by column name into entities of `target`, each value converted as
 * TypeORM's own mapping converts it (booleans, dates): the same objects, without its
 * per-query transformation machinery. On MySQL, the values the driver would hand on as they
 * are (strings, integers) are copied without asking it.
 */
export function hydrator<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
): (raw: Record<string, unknown>) => T {
  const driver = dataSource.driver;
  const mysql = driver.options.type === 'mysql' || driver.options.type === 'mariadb';
  const columns = dataSource.getMetadata(target).columns.map((column) => ({
    column,
    property: column.propertyName,
    name: column.databaseName,
    asIs: mysql && !column.transformer && !MYSQL_CONVERTED_TYPES.has(column.type),
  }));
  return (raw) => {
    const entity: Record<string, unknown> = {};
    for (const { column, property, name, asIs } of columns) {
      entity[property] = asIs ? raw[name] : driver.prepareHydratedValue(raw[name], column);
    }
    return entity as T;
  };
}
