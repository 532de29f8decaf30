import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertSafeKey,
  ObjectNotFound,
  StorageUnavailable,
  type ByteRange,
  type ObjectPart,
  type StoragePort,
  type StoredObject,
} from './storage.port';

const TEMPORARY_SUFFIX = '.partial';

/**
 * Files under a directory (the embedded default, under the data directory). Several
 * instances share it only through a shared file system. Writes go to a temporary file
 * renamed into place, so a reader never sees half an object.
 */
export class LocalStorage implements StoragePort {
  readonly backend = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get label(): string {
    return `local ${this.root}`;
  }

  private path(key: string): string {
    const path = join(this.root, assertSafeKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error('storage key outside the root');
    return path;
  }

  async put(key: string, body: Readable): Promise<number> {
    // The body may fail while the directory is made: that rejects below, not as an unhandled event.
    const ignore = () => undefined;
    body.on('error', ignore);
    try {
      return await this.writeAtomically(key, async (target) => {
        await pipeline(body, target);
      });
    } finally {
      body.off('error', ignore);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const handle = await open(this.path(key), 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new ObjectNotFound(key) : this.unavailable('read', error);
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const found = await stat(this.path(key));
      return { key, size: found.size, modifiedAt: found.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.unavailable('stat', error as Error);
    }
  }

  async delete(keys: string[]): Promise<void> {
    const directories = new Set<string>();
    for (const key of keys) {
      const path = this.path(key);
      await rm(path, { force: true });
      directories.add(dirname(path));
    }
    // Upload sessions leave a directory each: gone with its last chunk.
    for (const directory of directories) {
      if (directory !== this.root) await rmdir(directory).catch(() => undefined);
    }
  }

  async compose(key: string, parts: ObjectPart[]): Promise<number> {
    const paths = parts.map((part) => this.path(part.key));
    return this.writeAtomically(key, async (target) => {
      for (const path of paths) {
        await pipeline(createReadStream(path), target, { end: false });
      }
      target.end();
      await new Promise<void>((done, fail) => {
        target.once('close', done);
        target.once('error', fail);
      });
    });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const start = this.root;
    const walk = async function* (directory: string): AsyncIterable<StoredObject> {
      let entries;
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          yield* walk(path);
        } else if (entry.isFile()) {
          const key = relative(start, path).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const found = await stat(path).catch(() => null);
          if (found) yield { key, size: found.size, modifiedAt: found.mtime };
        }
      }
    };
    // Only the directories the prefix can be in.
    const directory = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    yield* walk(directory ? this.path(directory) : this.root);
  }

  async probe(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
    } catch (error) {
      throw this.unavailable('create the root directory', error as Error);
    }
    const key = `probes/${randomUUID()}`;
    const content = Buffer.from(`probe ${key}`);
    const body = new PassThrough();
    body.end(content);
    await this.put(key, body);
    try {
      const read: Buffer[] = [];
      for await (const chunk of await this.get(key)) read.push(chunk as Buffer);
      if (!Buffer.concat(read).equals(content)) {
        throw new StorageUnavailable(`${this.label}: a probe object read back differently`);
      }
    } finally {
      await this.delete([key]);
    }
  }

  async close(): Promise<void> {}

  private async writeAtomically(
    key: string,
    write: (target: NodeJS.WritableStream & { end(): void }) => Promise<void>,
  ): Promise<number> {
    const path = this.path(key);
    const temporary = `${path}.${randomUUID()}${TEMPORARY_SUFFIX}`;
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw this.unavailable('write', error as Error);
    }
    const target = createWriteStream(temporary, { flags: 'wx' });
    try {
      await write(target);
      await rename(temporary, path);
      return (await stat(path)).size;
    } catch (error) {
      target.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
  }

  private unavailable(what: string, error: Error): StorageUnavailable {
    const code = (error as NodeJS.ErrnoException).code ?? error.name;
    return new StorageUnavailable(`${this.label}: cannot ${what} (${code})`);
  }
}
