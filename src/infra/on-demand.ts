import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';

/**
 * Parts of dependencies that load everything they might offer when they load, installed in
 * `require`'s cache under their own files before those dependencies load, so that what they
 * offer loads when it is first used. Each answers as the part it stands for.
 */

/** `request` as `require` resolves it, or undefined where it is not there to stand in for. */
function resolvable(request: string): string | undefined {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
}

/** A module of `file`, loaded, for `require`'s cache: its `require` resolves from `file`. */
function moduleAt(file: string): Module {
  const module = new Module(file);
  module.filename = file;
  module.paths = (
    Module as unknown as { _nodeModulePaths(from: string): string[] }
  )._nodeModulePaths(dirname(file));
  module.loaded = true;
  return module;
}

/**
 * TypeORM's driver for each connection type: the file under `typeorm/driver/` and the class it
 * exports. The same table as TypeORM's own factory (`test/unit/on-demand.test.ts` reads
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
  const factoryFile = resolvable('typeorm/driver/DriverFactory');
  if (!factoryFile || require.cache[factoryFile]) return;
  const directory = dirname(factoryFile);
  const factory = moduleAt(factoryFile);
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
  require.cache[factoryFile] = factory;
}

/** `var de_js_1 = require("./de.cjs");` then `Object.defineProperty(exports, "de", …`. */
const ZOD_LOCALE =
  /var \w+ = require\("\.\/([\w-]+\.cjs)"\);\s*Object\.defineProperty\(exports, "(\w+)"/g;

/**
 * zod's table of error-message locales (`z.locales`), each loaded when it is first read. zod's
 * own index loads all of them (64 modules) with zod, for a table this application never reads
 * (its messages are English, which zod loads by itself). The names are read from that index;
 * an index of another shape is left to load as it is.
 */
export function loadZodLocalesOnDemand(): void {
  const zod = resolvable('zod');
  const indexFile = zod && join(dirname(zod), 'v4/locales/index.cjs');
  if (!indexFile || require.cache[indexFile]) return;
  let source: string;
  try {
    source = readFileSync(indexFile, 'utf8');
  } catch {
    return;
  }
  const locales = [...source.matchAll(ZOD_LOCALE)];
  if (locales.length === 0) return;
  const index = moduleAt(indexFile);
  const table = Object.defineProperty({}, '__esModule', { value: true }) as Record<string, unknown>;
  for (const [, file, name] of locales) {
    Object.defineProperty(table, name, {
      enumerable: true,
      // As zod's index reads them: a module's default export, or the module itself.
      get: () => {
        const locale = index.require(`./${file}`) as { __esModule?: boolean; default?: unknown };
        return locale.__esModule ? locale.default : locale;
      },
    });
  }
  index.exports = table;
  require.cache[indexFile] = index;
}
