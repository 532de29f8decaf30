import { readFile } from 'node:fs/promises';
import type { ConfigSource } from './config-source';

/** config/config.yaml: the last resort, and the whole story in the embedded profile. */
export class FileConfigSource implements ConfigSource {
  readonly kind = 'file';

  constructor(readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async close(): Promise<void> {}
}
