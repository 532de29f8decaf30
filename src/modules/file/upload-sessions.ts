import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { pipelineReplies } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';
import type { StorageBackend } from '@/infra/storage/storage.port';

/** What the first chunk of an upload fixed; later chunks must agree. */
export interface UploadSession {
  /** Names the chunks' objects and, once assembled, the file row (unique). */
  id: string;
  /** The Redis hash of the upload. */
  key: string;
  backend: StorageBackend;
  totalSize: number;
  totalChunks: number;
  filename: string;
}

export interface UploadState {
  session: UploadSession;
  /** Sizes of the chunks received, by number. */
  chunks: Map<number, number>;
  /** The file the upload became, once assembled. */
  fileId: number | null;
}

/** Records a chunk unless the session is gone; answers how many distinct chunks are in. */
const RECORD_CHUNK = `
if redis.call('HEXISTS', KEYS[1], 'meta') == 0 then return -1 end
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'received', 1)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return tonumber(redis.call('HGET', KEYS[1], 'received'))
`;

/** Releases or extends a lock only while it is still the caller's. */
const IF_OWNER_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
const IF_OWNER_EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * The bookkeeping of chunked uploads, in Redis so that chunks of one upload may arrive at
 * different instances: one hash per (member, task, identifier) with the session, the size of
 * every chunk received and, once assembled, the file. Each chunk renews its TTL
 * (`attachments.uploadTtlSeconds`); an upload left idle longer is forgotten and its chunks
 * are swept from storage.
 */
@Injectable()
export class UploadSessions {
  constructor(@InjectRedis() private readonly redis: RedisClient) {}

  /** The hash tag keeps an upload's keys in one Redis Cluster slot. */
  keyOf(memberId: number, taskId: number, identifier: string): string {
    const digest = createHash('sha256')
      .update(`${memberId}\u0000${taskId}\u0000${identifier}`)
      .digest('base64url');
    return `file-upload:{${digest}}`;
  }

  /** The upload's session: the existing one, or a new one made of `wanted`. */
  async open(
    key: string,
    wanted: Omit<UploadSession, 'id' | 'key'>,
    ttlSeconds: number,
  ): Promise<UploadSession> {
    const candidate = JSON.stringify({ id: randomUUID(), ...wanted });
    const [, meta] = (await pipelineReplies(
      this.redis
        .pipeline()
        .hsetnx(key, 'meta', candidate)
        .hget(key, 'meta')
        .expire(key, ttlSeconds),
    )) as [number, string, number];
    return { ...(JSON.parse(meta) as Omit<UploadSession, 'key'>), key };
  }

  async find(key: string): Promise<UploadState | null> {
    const hash = await this.redis.hgetall(key);
    if (!hash.meta) return null;
    const chunks = new Map<number, number>();
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('c')) chunks.set(Number(field.slice(1)), Number(value));
    }
    return {
      session: { ...(JSON.parse(hash.meta) as Omit<UploadSession, 'key'>), key },
      chunks,
      fileId: hash.file ? Number(hash.file) : null,
    };
  }

  /** How many distinct chunks are in after this one; null when the session expired meanwhile. */
  async recordChunk(
    session: UploadSession,
    chunkNumber: number,
    size: number,
    ttlSeconds: number,
  ): Promise<number | null> {
    const received = (await this.redis.eval(
      RECORD_CHUNK,
      1,
      session.key,
      `c${chunkNumber}`,
      String(size),
      String(ttlSeconds),
    )) as number;
    return received < 0 ? null : received;
  }

  /** Marks the upload done: later chunks and probes of it answer with the file. */
  async complete(session: UploadSession, fileId: number, ttlSeconds: number): Promise<void> {
    await pipelineReplies(
      this.redis
        .pipeline()
        .hset(session.key, 'file', String(fileId))
        .expire(session.key, ttlSeconds),
    );
  }

  async discard(session: UploadSession): Promise<void> {
    await this.redis.del(session.key);
  }

  /** The assembly lock of an upload: a token when taken, null when another holds it. */
  async lock(session: UploadSession, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const taken = await this.redis.set(`${session.key}:assembly`, token, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? token : null;
  }

  async extendLock(session: UploadSession, token: string, ttlMs: number): Promise<boolean> {
    const extended = await this.redis.eval(
      IF_OWNER_EXTEND,
      1,
      `${session.key}:assembly`,
      token,
      String(ttlMs),
    );
    return extended === 1;
  }

  async unlock(session: UploadSession, token: string): Promise<void> {
    await this.redis.eval(IF_OWNER_DELETE, 1, `${session.key}:assembly`, token);
  }
}
