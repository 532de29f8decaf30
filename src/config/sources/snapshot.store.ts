import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConfigSource } from './config-source';

export interface SnapshotKey {
  /** The config server's identity; two servers never share a snapshot. */
  server: string;
  namespace: string;
  group: string;
  dataId: string;
}

/**
 * The last config that was applied from the config center, kept on disk so that a restart
 * while the center is down still boots with it. Written atomically (temp file + rename) and
 * readable by the owner only: it holds secrets.
 */
export class SnapshotStore implements ConfigSource {
  readonly kind = 'snapshot';
  readonly path: string;

  constructor(directory: string, key: SnapshotKey) {
    const server = createHash('sha256').update(key.server).digest('hex').slice(0, 16);
    // Nacos 2.x keeps '' (public) and a namespace called 'public' apart; so do we.
    const segment = (value: string) => (value === '' ? '_default' : encodeURIComponent(value));
    this.path = join(
      directory,
      server,
      segment(key.namespace),
      segment(key.group),
      segment(key.dataId),
    );
  }

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(content: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, content, { mode: 0o600, flush: true });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async close(): Promise<void> {}
}
