import { dirname, join, resolve } from 'node:path';
import { ConfigInvalidError } from './config-errors';
import { valueAt } from './config-paths';
import { deepFreeze } from './deep-freeze';
import { loadGeneratedSecrets } from './generated-secrets';
import { weakSecretReason } from './secret-strength';
import type { AppConfig } from './schema';

/**
 * Secrets the embedded setup may generate for itself when the config leaves them empty. Every
 * other setup must be given a strong value for each: nothing ships a usable secret.
 */
export const GENERATED_SECRET_PATHS = [
  'jwt.accessSecret',
  'jwt.refreshSecret',
  'ids.secret',
] as const;

/** Where the embedded setup keeps its generated secrets: beside its SQLite file. */
export const GENERATED_SECRETS_FILE = 'secrets.json';

function withValueAt<T>(document: T, path: string, value: string): T {
  const [key, ...rest] = path.split('.');
  const node = document as Record<string, unknown>;
  return {
    ...node,
    [key]: rest.length ? withValueAt(node[key], rest.join('.'), value) : value,
  } as T;
}

/**
 * `path: reason` for every listed secret that is set but weak, read from a document that may
 * not have passed the schema yet (so that one pass names every bad path).
 */
export function weakSecretProblems(document: unknown): string[] {
  const retired = valueAt(document, 'jwt.retired');
  const paths = [
    ...GENERATED_SECRET_PATHS,
    // A retired secret still verifies tokens: held to the same rules.
    ...(Array.isArray(retired) ? retired.map((_, index) => `jwt.retired.${index}.secret`) : []),
  ];
  return paths.flatMap((path) => {
    const value = valueAt(document, path);
    const reason = typeof value === 'string' && value !== '' ? weakSecretReason(value) : undefined;
    return reason ? [`${path}: ${reason}`] : [];
  });
}

/**
 * The embedded setup, read from what the config says: a SQLite file, the in-process Redis
 * substitute and no config center. Nothing outside this process shares its state, so nothing
 * else needs to agree on its secrets.
 */
export function isEmbeddedSetup(config: AppConfig, configCenter: boolean): boolean {
  return !configCenter && config.db.type === 'sqlite' && config.redis.mode === 'memory';
}

/**
 * Fills the empty listed secrets: in the embedded setup from the data directory (generated on
 * first use), anywhere else an empty secret is refused, naming its key.
 */
export function resolveEmptySecrets(
  config: AppConfig,
  origin: string,
  configCenter: boolean,
): AppConfig {
  const empty = GENERATED_SECRET_PATHS.filter((path) => valueAt(config, path) === '');
  if (empty.length === 0) return config;
  if (!isEmbeddedSetup(config, configCenter)) {
    throw new ConfigInvalidError(
      empty.map(
        (path) =>
          `${path}: required (only the embedded setup, SQLite + in-process Redis + no config center, generates it)`,
      ),
      origin,
    );
  }
  const file = join(dirname(resolve(config.db.sqlite.path)), GENERATED_SECRETS_FILE);
  const generated = loadGeneratedSecrets(file, GENERATED_SECRET_PATHS);
  return deepFreeze(
    empty.reduce((filled, path) => withValueAt(filled, path, generated[path]), config),
  );
}
