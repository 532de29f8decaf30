import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TracedService } from '@/telemetry/traced-service';
import type { z } from 'zod';
import { setTimeout as delay } from 'node:timers/promises';
import { Problem } from '@/common/problem';
import { ZodValidationPipe } from '@/common/zod-validation';
import { ConfigCenter } from '@/config/config-center';
import type { AppConfig } from '@/config/schema';
import { RequestScope } from '@/infra/generations/request-scope';
import type { ObjectPart, StoragePort } from '@/infra/storage/storage.port';
import { Storage } from '@/infra/storage/storage.service';
import { ActivityRepository } from '@/modules/project/activity.repository';
import { BoardAccess } from '@/modules/project/board-access';
import { ProjectAccess } from '@/modules/project/project-access';
import { contentTypeOf, SNIFF_BYTES } from './content-types';
import {
  chunkFields,
  singleUploadFields,
  type ChunkFields,
  type SingleUploadFields,
} from './dto/file.schemas';
import type { ChunkAnswer, FileView } from './dto/file.views';
import type { StoredFile } from './entities';
import { chunkKey, fileKey, UPLOADS_PREFIX } from './file-keys';
import { sanitizeFileName } from './file-names';
import { FileRepository, type NewFile } from './file.repository';
import { FileService } from './file.service';
import { drain, malformed, MultipartForm, tooLarge, UploadMeter } from './multipart-form';
import { fromStorage } from './storage-problems';
import { UploadSessions, type UploadSession } from './upload-sessions';

/** The assembly lock's lease, renewed while the chunks are being joined. */
const ASSEMBLY_LOCK_MS = 60_000;
/** How long a request whose last chunk another instance is assembling waits for the file. */
const ASSEMBLY_WAIT_MS = 120_000;
const ASSEMBLY_POLL_MS = 200;
/** How often unfinished uploads' chunks are looked for. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

type TaskContext = Awaited<ReturnType<BoardAccess['taskFor']>>;

/**
 * Uploads of task attachments: a plain one (one multipart request) and a resumable chunked
 * one in simple-uploader.js's protocol. Chunks are objects in the storage backend, their
 * bookkeeping is in Redis, so the chunks of one upload may reach any instance; the last one
 * to arrive assembles the file, exactly once (a Redis lock, and the file row's unique
 * upload id).
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class UploadService implements OnModuleInit, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly files: FileRepository,
    private readonly fileService: FileService,
    private readonly sessions: UploadSessions,
    private readonly board: BoardAccess,
    private readonly activity: ActivityRepository,
    private readonly storage: Storage,
    private readonly center: ConfigCenter,
    private readonly scope: RequestScope,
  ) {}

  private get limits(): AppConfig['attachments'] {
    return this.center.config.attachments;
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      void this.scope
        .run(() => this.sweepAbandoned())
        .catch((error: Error) =>
          this.center.logger.warn({ err: error.message }, 'sweeping abandoned uploads failed'),
        );
    }, SWEEP_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** One multipart request: optional fields, then the `file` part. */
  async uploadFile(memberId: number, taskId: number, request: FastifyRequest): Promise<FileView> {
    const context = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const { maxFileBytes } = this.limits;
    const form = MultipartForm.open(request, maxFileBytes);
    const { fields, file } = await form.fieldsThenFile();
    const extra = validate<SingleUploadFields>(singleUploadFields, fields);
    if (!file) throw Problem.invalid([{ field: 'file', message: 'required' }]);
    await this.ensureRoom(taskId);
    const name = sanitizeFileName(extra.filename ?? file.filename ?? '');
    const adapter = this.adapter(this.storage.defaultBackend);
    const key = fileKey(context.project.id, taskId);
    const meter = UploadMeter.of(file, { field: 'file', max: maxFileBytes });
    const size = await this.putUpload(adapter, key, meter);
    try {
      await form.finish();
      const { view } = await this.created(memberId, context, {
        title: name.title,
        extension: name.extension,
        size,
        contentType: contentTypeOf(name.extension, meter.head),
        backend: adapter.backend,
        storageKey: key,
        uploadId: null,
      });
      return view;
    } catch (error) {
      await adapter.delete([key]).catch(() => undefined);
      throw error;
    }
  }

  /**
   * One chunk: its fields, then its bytes. Sending a chunk again replaces it (the same bytes);
   * the chunk that completes the upload answers with the file.
   */
  async uploadChunk(
    memberId: number,
    taskId: number,
    request: FastifyRequest,
  ): Promise<ChunkAnswer> {
    const context = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const form = MultipartForm.open(request, this.limits.maxChunkBytes);
    const { fields, file } = await form.fieldsThenFile();
    return this.chunk(memberId, context, form, fields, file);
  }

  /**
   * One chunk of a form that names its task among its fields (the original web client's):
   * `taskOf` reads the task from the fields (and takes them out), before any byte is stored.
   */
  async uploadChunkNamingTask(
    memberId: number,
    request: FastifyRequest,
    taskOf: (fields: Record<string, string>) => number,
  ): Promise<ChunkAnswer> {
    const form = MultipartForm.open(request, this.limits.maxChunkBytes);
    const { fields, file } = await form.fieldsThenFile();
    const taskId = taskOf(fields);
    const context = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    return this.chunk(memberId, context, form, fields, file);
  }

  private async chunk(
    memberId: number,
    context: TaskContext,
    form: MultipartForm,
    fields: Record<string, string>,
    file: Awaited<ReturnType<MultipartForm['fieldsThenFile']>>['file'],
  ): Promise<ChunkAnswer> {
    const taskId = context.task.id;
    const limits = this.limits;
    const chunk = validate<ChunkFields>(chunkFields, fields);
    this.checkSizes(chunk);
    if (!file) throw Problem.invalid([{ field: 'file', message: 'required' }]);
    const key = this.sessions.keyOf(memberId, taskId, chunk.identifier);
    const known = await this.sessions.find(key);
    if (!known) await this.ensureRoom(taskId);
    const session = await this.sessions.open(
      key,
      {
        backend: this.storage.defaultBackend,
        totalSize: chunk.totalSize,
        totalChunks: chunk.totalChunks,
        filename: chunk.filename,
      },
      limits.uploadTtlSeconds,
    );
    if (session.totalSize !== chunk.totalSize || session.totalChunks !== chunk.totalChunks) {
      throw Problem.conflict(
        'identifier',
        'an upload with this identifier and another size is in progress',
      );
    }
    if (known?.fileId) {
      const answer = await this.completeAnswer(memberId, known.fileId, session);
      await drain(file.file);
      await form.finish();
      return answer;
    }
    const adapter = this.adapter(session.backend);
    const meter = UploadMeter.of(file, {
      field: 'currentChunkSize',
      max: limits.maxChunkBytes,
      expected: chunk.currentChunkSize,
    });
    await this.putUpload(adapter, chunkKey(session.id, chunk.chunkNumber), meter);
    await form.finish();
    const received = await this.sessions.recordChunk(
      session,
      chunk.chunkNumber,
      meter.bytes,
      limits.uploadTtlSeconds,
    );
    if (received === null) throw expired();
    if (received < session.totalChunks) {
      return { complete: false, received, totalChunks: session.totalChunks, file: null };
    }
    const view = await this.assemble(memberId, context, session);
    return { complete: true, received, totalChunks: session.totalChunks, file: view };
  }

  /** simple-uploader's test request: whether the chunk needs no sending (already there). */
  async hasChunk(memberId: number, taskId: number, query: Record<string, unknown>) {
    await this.board.taskFor(memberId, taskId, 'board');
    const chunk = validate<ChunkFields>(chunkFields, query);
    const state = await this.sessions.find(this.sessions.keyOf(memberId, taskId, chunk.identifier));
    if (!state) return false;
    if (state.session.totalSize !== chunk.totalSize) return false;
    if (state.session.totalChunks !== chunk.totalChunks) return false;
    return state.fileId !== null || state.chunks.has(chunk.chunkNumber);
  }

  /**
   * Joins the chunks into the file, once: whoever takes the lock assembles, the others wait
   * for the file it makes (another instance's, possibly).
   */
  private async assemble(
    memberId: number,
    context: TaskContext,
    session: UploadSession,
  ): Promise<FileView> {
    const deadline = Date.now() + ASSEMBLY_WAIT_MS;
    for (;;) {
      const state = await this.sessions.find(session.key);
      if (!state) throw expired();
      if (state.fileId) return this.fileService.getFile(memberId, state.fileId);
      const token = await this.sessions.lock(session, ASSEMBLY_LOCK_MS);
      if (token) {
        const renew = setInterval(() => {
          void this.sessions.extendLock(session, token, ASSEMBLY_LOCK_MS).catch(() => undefined);
        }, ASSEMBLY_LOCK_MS / 3).unref();
        try {
          return await this.assembleLocked(memberId, context, session);
        } finally {
          clearInterval(renew);
          await this.sessions.unlock(session, token).catch(() => undefined);
        }
      }
      if (Date.now() > deadline) throw Problem.unavailable(5);
      await delay(ASSEMBLY_POLL_MS);
    }
  }

  private async assembleLocked(
    memberId: number,
    context: TaskContext,
    session: UploadSession,
  ): Promise<FileView> {
    const state = await this.sessions.find(session.key);
    if (!state) throw expired();
    if (state.fileId) return this.fileService.getFile(memberId, state.fileId);
    // An assembler that stopped between the row and the mark.
    const already = await this.files.findByUpload(session.id);
    if (already) return this.markComplete(memberId, session, already.id);

    const adapter = this.adapter(session.backend);
    const parts: ObjectPart[] = [];
    for (let number = 1; number <= session.totalChunks; number++) {
      const size = state.chunks.get(number);
      if (size === undefined) throw expired();
      parts.push({ key: chunkKey(session.id, number), size });
    }
    const total = parts.reduce((sum, part) => sum + part.size, 0);
    if (total !== session.totalSize) {
      await this.abandon(session, adapter, parts);
      throw Problem.invalid([
        { field: 'totalSize', message: `the chunks hold ${total} bytes, not ${session.totalSize}` },
      ]);
    }
    try {
      await this.ensureRoom(context.task.id);
    } catch (error) {
      await this.abandon(session, adapter, parts);
      throw error;
    }
    const name = sanitizeFileName(session.filename);
    const key = fileKey(context.project.id, context.task.id);
    const size = await this.stored(adapter.compose(key, parts));
    const stored = await this.stored(adapter.stat(key));
    if (size !== session.totalSize || stored?.size !== session.totalSize) {
      await adapter.delete([key]).catch(() => undefined);
      throw new Error(`assembled ${stored?.size ?? 'no'} bytes instead of ${session.totalSize}`);
    }
    const head = await this.head(adapter, parts[0], size);
    let created: Awaited<ReturnType<UploadService['created']>>;
    try {
      created = await this.created(memberId, context, {
        title: name.title,
        extension: name.extension,
        size,
        contentType: contentTypeOf(name.extension, head),
        backend: adapter.backend,
        storageKey: key,
        uploadId: session.id,
      });
    } catch (error) {
      await adapter.delete([key]).catch(() => undefined);
      const winner = await this.files.findByUpload(session.id);
      if (!winner) throw error;
      return this.markComplete(memberId, session, winner.id);
    }
    await this.sessions.complete(session, created.row.id, this.limits.uploadTtlSeconds);
    await this.dropChunks(adapter, parts);
    return created.view;
  }

  private async markComplete(memberId: number, session: UploadSession, fileId: number) {
    await this.sessions.complete(session, fileId, this.limits.uploadTtlSeconds);
    return this.fileService.getFile(memberId, fileId);
  }

  private async completeAnswer(
    memberId: number,
    fileId: number,
    session: UploadSession,
  ): Promise<ChunkAnswer> {
    return {
      complete: true,
      received: session.totalChunks,
      totalChunks: session.totalChunks,
      file: await this.fileService.getFile(memberId, fileId),
    };
  }

  /** The row and its activity entry; answers the file as its uploader sees it. */
  private async created(
    memberId: number,
    context: TaskContext,
    file: Omit<NewFile, 'projectId' | 'taskId' | 'organizationId' | 'uploaderId'>,
  ): Promise<{ row: StoredFile; view: FileView }> {
    const row = await this.files.addFile({
      ...file,
      projectId: context.project.id,
      taskId: context.task.id,
      organizationId: context.project.organizationId ?? null,
      uploaderId: memberId,
    });
    await this.activity.addActivity({
      projectId: context.project.id,
      taskId: context.task.id,
      memberId,
      type: 'upload',
      content: row.title,
    });
    await this.board.written(memberId);
    return { row, view: (await this.fileService.views([row]))[0] };
  }

  private checkSizes(chunk: ChunkFields): void {
    const { maxFileBytes, maxChunkBytes } = this.limits;
    if (chunk.totalSize > maxFileBytes) throw tooLarge('totalSize', maxFileBytes);
    if (chunk.currentChunkSize > maxChunkBytes) throw tooLarge('currentChunkSize', maxChunkBytes);
  }

  private async ensureRoom(taskId: number): Promise<void> {
    const { maxFilesPerTask } = this.limits;
    if ((await this.files.countLiveOfTask(taskId)) >= maxFilesPerTask) {
      throw Problem.failedPrecondition(
        `the task already has ${maxFilesPerTask} files`,
        undefined,
        'too_many_files',
      );
    }
  }

  private adapter(backend: string): StoragePort {
    try {
      return this.storage.backend(backend);
    } catch (error) {
      this.center.logger.warn({ err: (error as Error).message }, 'storage backend unavailable');
      throw Problem.unavailable(5);
    }
  }

  /** Stores what comes through the meter; a failure on the client's side is the client's. */
  private async putUpload(adapter: StoragePort, key: string, meter: UploadMeter): Promise<number> {
    try {
      return await this.stored(adapter.put(key, meter));
    } catch (error) {
      if (meter.errored) throw malformed(meter.errored);
      throw error;
    }
  }

  private stored<T>(work: Promise<T>): Promise<T> {
    return fromStorage(work, (error) =>
      this.center.logger.warn({ err: error.message }, 'storage unavailable'),
    );
  }

  /** The file's first bytes, to sniff its type. */
  private async head(adapter: StoragePort, first: ObjectPart, size: number): Promise<Buffer> {
    if (size === 0 || first.size === 0) return Buffer.alloc(0);
    const end = Math.min(SNIFF_BYTES, first.size) - 1;
    const read: Buffer[] = [];
    for await (const chunk of await this.stored(adapter.get(first.key, { start: 0, end }))) {
      read.push(chunk as Buffer);
    }
    return Buffer.concat(read);
  }

  private async abandon(session: UploadSession, adapter: StoragePort, parts: ObjectPart[]) {
    await this.sessions.discard(session);
    await this.dropChunks(adapter, parts);
  }

  private async dropChunks(adapter: StoragePort, parts: ObjectPart[]): Promise<void> {
    await adapter
      .delete(parts.map((part) => part.key))
      .catch((error: Error) =>
        this.center.logger.warn({ err: error.message }, 'deleting upload chunks failed'),
      );
  }

  /**
   * Deletes the chunks of uploads nobody continued for longer than the upload TTL: every
   * chunk renews the session, so an upload whose newest chunk is older is forgotten.
   * Answers how many chunk objects went.
   */
  async sweepAbandoned(now = Date.now()): Promise<number> {
    const cutoff = now - this.limits.uploadTtlSeconds * 1000;
    let removed = 0;
    for (const adapter of this.storage.all()) {
      const sessions = new Map<string, { newest: number; keys: string[] }>();
      for await (const object of adapter.list(UPLOADS_PREFIX)) {
        const session = object.key.slice(UPLOADS_PREFIX.length).split('/')[0];
        const entry = sessions.get(session) ?? { newest: 0, keys: [] };
        entry.newest = Math.max(entry.newest, object.modifiedAt.getTime());
        entry.keys.push(object.key);
        sessions.set(session, entry);
      }
      for (const { newest, keys } of sessions.values()) {
        if (newest >= cutoff) continue;
        await adapter.delete(keys);
        removed += keys.length;
      }
    }
    return removed;
  }
}

function validate<T>(schema: z.ZodType, fields: Record<string, unknown>): T {
  return new ZodValidationPipe(schema).transform(fields) as T;
}

const expired = () =>
  Problem.failedPrecondition(
    'the upload expired or was discarded; start it again',
    'identifier',
    'upload_expired',
  );
