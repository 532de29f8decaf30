import type { Readable } from 'node:stream';

/** The backends a file can live in; each file row records the one it was written to. */
export const STORAGE_BACKENDS = ['local', 's3'] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];

/** Bytes `start` to `end`, both included, as in an HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** One piece of an object to be composed, with its size in bytes. */
export interface ObjectPart {
  key: string;
  size: number;
}

/**
 * Where file bytes live. Keys are the application's own (`files/<project>/<task>/<uuid>`,
 * `uploads/<session>/<chunk>`), never a user's file name: letters, digits, `/`, `-`, `_`, `.`.
 * Every method streams; none holds a whole object in memory.
 */
export interface StoragePort {
  readonly backend: StorageBackend;
  /** Where it points, for logs and errors (no credentials). */
  readonly label: string;
  /** Writes the stream as `key`, replacing what is there, all or nothing; resolves with its size. */
  put(key: string, body: Readable, contentType?: string): Promise<number>;
  /** The object's bytes, or only `range` of them; ObjectNotFound when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<StoredObject | null>;
  /** Deletes the objects; absent ones are no error. */
  delete(keys: string[]): Promise<void>;
  /** Writes the concatenation of `parts`, in order, as `key`; resolves with its size. */
  compose(key: string, parts: ObjectPart[], contentType?: string): Promise<number>;
  /** Every object whose key starts with `prefix`. */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Writes, reads back and deletes an object: throws unless the backend can serve. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export class ObjectNotFound extends Error {
  constructor(key: string) {
    super(`no object ${key}`);
    this.name = 'ObjectNotFound';
  }
}

/** The backend cannot be reached or refused the operation; the message names no credential. */
export class StorageUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailable';
  }
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,511}$/;

/** Refuses a key that could leave the storage root or that no caller of ours would build. */
export function assertSafeKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '' || /^\.+$/.test(part))) {
    throw new Error(`unsafe storage key ${JSON.stringify(key.slice(0, 100))}`);
  }
  return key;
}
