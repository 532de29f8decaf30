import assert from 'node:assert/strict';
import type { TestApp } from './app';
import { call } from './http';
import { grpcClient } from './grpc-client';

export interface FileBody {
  id: string;
  projectId: string;
  taskId: string;
  title: string;
  extension: string;
  size: number;
  contentType: string;
  uploader: { id: string; name: string };
  downloads: number;
  deleted: boolean;
  downloadPath: string;
}

export interface ChunkAnswerBody {
  complete: boolean;
  received: number;
  totalChunks: number;
  file: FileBody | null;
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A new task on `stageId` as `token`'s member; fails the test on anything but 201. */
export async function createTask(
  app: TestApp,
  token: string,
  projectId: string,
  stageId: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string }> {
  const response = await call<{ id: string }>(app, 'POST', `/api/v1/projects/${projectId}/tasks`, {
    token,
    body: { stageId, name: `task ${Math.random().toString(36).slice(2, 7)}`, ...extra },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** Where requests go: a test app, or an instance of the built app. */
type Server = Pick<TestApp, 'baseUrl'>;

async function send<T>(app: Server, method: string, path: string, init: RequestInit) {
  const response = await fetch(`${app.baseUrl}${path}`, { method, ...init });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as T,
  };
}

/** A multipart form: the fields in order, then the `file` part. */
export function form(fields: Record<string, string | number>, bytes?: Uint8Array, name = 'blob') {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, String(value));
  if (bytes) data.append('file', new Blob([new Uint8Array(bytes)]), name);
  return data;
}

/** A plain upload: POST /api/v1/tasks/{id}/files with `file` (and any extra fields first). */
export function uploadFile(
  app: Server,
  token: string,
  taskId: string,
  bytes: Uint8Array,
  filename: string,
  fields: Record<string, string> = {},
): Promise<Answer<FileBody>> {
  return send<FileBody>(app, 'POST', `/api/v1/tasks/${taskId}/files`, {
    headers: { authorization: `Bearer ${token}` },
    body: form(fields, bytes, filename),
  });
}

/** simple-uploader.js's fields of each chunk of a file (5 MiB chunks unless told). */
export interface ChunkFieldsBody {
  identifier: string;
  chunkNumber: number;
  totalChunks: number;
  chunkSize: number;
  currentChunkSize: number;
  totalSize: number;
  filename: string;
  relativePath: string;
}

/**
 * The chunks as simple-uploader.js cuts them (forceChunkSize off): floor(size / chunkSize)
 * chunks, at least one, the last one taking the remainder.
 */
export function chunksOf(
  bytes: Uint8Array,
  filename: string,
  chunkSize = 5 * 1024 * 1024,
): { fields: ChunkFieldsBody; bytes: Uint8Array }[] {
  const totalChunks = Math.max(Math.floor(bytes.length / chunkSize), 1);
  const identifier = `${bytes.length}-${filename.replace(/[^0-9a-zA-Z_-]/g, '')}`;
  return Array.from({ length: totalChunks }, (_, index) => {
    const start = index * chunkSize;
    const end = index === totalChunks - 1 ? bytes.length : start + chunkSize;
    return {
      fields: {
        identifier,
        chunkNumber: index + 1,
        totalChunks,
        chunkSize,
        currentChunkSize: end - start,
        totalSize: bytes.length,
        filename,
        relativePath: filename,
      },
      bytes: bytes.subarray(start, end),
    };
  });
}

export function uploadChunk(
  app: Server,
  token: string,
  taskId: string,
  chunk: { fields: ChunkFieldsBody; bytes: Uint8Array },
): Promise<Answer<ChunkAnswerBody>> {
  return send<ChunkAnswerBody>(app, 'POST', `/api/v1/tasks/${taskId}/files/chunks`, {
    headers: { authorization: `Bearer ${token}` },
    body: form({ ...chunk.fields }, chunk.bytes, chunk.fields.filename),
  });
}

/** simple-uploader.js's test request: 200 when the chunk is there, 204 when it must be sent. */
export async function probeChunk(
  app: Server,
  token: string,
  taskId: string,
  fields: ChunkFieldsBody,
): Promise<number> {
  const query = new URLSearchParams(
    Object.entries(fields).map(([key, value]) => [key, String(value)]),
  );
  const response = await fetch(`${app.baseUrl}/api/v1/tasks/${taskId}/files/chunks?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** GET /api/v1/files/{id}/content: the status, headers and bytes. */
export async function download(
  app: Server,
  token: string,
  fileId: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${app.baseUrl}/api/v1/files/${fileId}/content`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** A client of msproject.file.v1.FileService on the app's gRPC port. */
export function fileGrpcClient(app: TestApp) {
  return grpcClient(app.grpcAddress, 'file/v1/file.proto', 'msproject.file.v1.FileService');
}

/** `length` bytes that differ from chunk to chunk (a misplaced chunk shows). */
export function patternedBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + (index >> 12)) & 0xff;
  return bytes;
}

/** A 1×1 PNG, for avatars. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
