import Module from 'node:module';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';

/**
 * TypeORM's driver for each connection type: the file under `typeorm/driver/` and the class it
 * exports. The same table as TypeORM's own factory (`test/unit/typeorm-drivers.test.ts` reads
 * that factory's source and compares).
 */
export const TYPEORM_DRIVERS: Readonly<Record<string, readonly [file: string, name: string]>> = {
  'aurora-mysql': ['aurora-mysql/AuroraMysqlDriver', 'AuroraMysqlDriver'],
  'aurora-postgres': ['aurora-postgres/AuroraPostgresDriver', 'AuroraPostgresDriver'],
  'better-sqlite3': ['better-sqlite3/BetterSqlite3Driver', 'BetterSqlite3Driver'],
  capacitor: ['capacitor/CapacitorDriver', 'CapacitorDriver'],
  cockroachdb: ['cockroachdb/CockroachDriver', 'CockroachDriver'],
  cordova: ['cordova/CordovaDriver', 'CordovaDriver'],
  expo: ['expo/ExpoDriver', 'ExpoDriver'],
  mariadb: ['mysql/MysqlDriver', 'MysqlDriver'],
  mongodb: ['mongodb/MongoDriver', 'MongoDriver'],
  mssql: ['sqlserver/SqlServerDriver', 'SqlServerDriver'],
  mysql: ['mysql/MysqlDriver', 'MysqlDriver'],
  nativescript: ['nativescript/NativescriptDriver', 'NativescriptDriver'],
  oracle: ['oracle/OracleDriver', 'OracleDriver'],
  postgres: ['postgres/PostgresDriver', 'PostgresDriver'],
  'react-native': ['react-native/ReactNativeDriver', 'ReactNativeDriver'],
  sap: ['sap/SapDriver', 'SapDriver'],
  spanner: ['spanner/SpannerDriver', 'SpannerDriver'],
  sqljs: ['sqljs/SqljsDriver', 'SqljsDriver'],
};

type DriverClass = new (dataSource: DataSource) => unknown;

/**
 * TypeORM's driver factory, with each driver loaded when a data source of its type is first
 * created. TypeORM's own factory loads all eighteen (35 modules, about 1.3 MB of source kept on
 * the heap) when its DataSource loads, though this application uses two. Installed in
 * `require`'s cache under the factory's own file, before TypeORM loads; it answers as that
 * factory does, a type it does not know with TypeORM's MissingDriverError. Does nothing when
 * TypeORM's factory is already loaded.
 */
export function loadTypeormDriversOnDemand(): void {
  const factoryFile = require.resolve('typeorm/driver/DriverFactory');
  if (require.cache[factoryFile]) return;
  const directory = dirname(factoryFile);
  const factory = new Module(factoryFile);
  factory.filename = factoryFile;
  factory.paths = (
    Module as unknown as { _nodeModulePaths(from: string): string[] }
  )._nodeModulePaths(directory);
  class DriverFactory {
    create(dataSource: DataSource): unknown {
      const { type } = dataSource.options;
      const driver = TYPEORM_DRIVERS[type];
      if (!driver) {
        const { MissingDriverError } = factory.require(
          '../error/MissingDriverError',
        ) as typeof import('typeorm/error/MissingDriverError');
        throw new MissingDriverError(type, Object.keys(TYPEORM_DRIVERS));
      }
      const [file, name] = driver;
      const loaded = factory.require(join(directory, file)) as Record<string, DriverClass>;
      return new loaded[name](dataSource);
    }
  }
  factory.exports = { DriverFactory };
  factory.loaded = true;
  require.cache[factoryFile] = factory;
}
