import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from './ports';

const ROOT = join(__dirname, '../../..');

export interface EmbeddedConfig {
  /** The new directory (`CONFIG_DIR`), which holds the SQLite file too. */
  directory: string;
  /** `http://127.0.0.1:<port>`. */
  http: string;
  /** `127.0.0.1:<port>`. */
  grpcAddress: string;
}

/**
 * A config directory for the embedded profile as committed (config/config.yaml and
 * config/bootstrap.yaml: SQLite, in-process Redis, no config center), with only free ports, the
 * SQLite file inside it and `log` over the committed logging changed, so that a started process
 * collides with nothing.
 */
export async function embeddedConfig(
  prefix: string,
  log: Record<string, unknown> = {},
): Promise<EmbeddedConfig> {
  const directory = await mkdtemp(join(tmpdir(), `msproject-${prefix}-`));
  const config = parse(await readFile(join(ROOT, 'config/config.yaml'), 'utf8')) as {
    server: { port: number };
    grpc: { port: number };
    db: { sqlite: { path: string } };
    log: Record<string, unknown>;
  };
  config.server.port = await freePort();
  config.grpc.port = await freePort();
  config.db.sqlite.path = join(directory, 'msproject.sqlite');
  config.log = { ...config.log, ...log };
  await writeFile(join(directory, 'config.yaml'), stringify(config));
  await writeFile(
    join(directory, 'bootstrap.yaml'),
    await readFile(join(ROOT, 'config/bootstrap.yaml')),
  );
  return {
    directory,
    http: `http://127.0.0.1:${config.server.port}`,
    grpcAddress: `127.0.0.1:${config.grpc.port}`,
  };
}
