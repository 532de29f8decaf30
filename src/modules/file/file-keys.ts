import { randomUUID } from 'node:crypto';

/** Where a file's bytes are stored: never derived from its name. */
export const fileKey = (projectId: number, taskId: number) =>
  `files/${projectId}/${taskId}/${randomUUID()}`;

export const UPLOADS_PREFIX = 'uploads/';

/** A chunk of a resumable upload, until the upload is assembled. */
export const chunkKey = (sessionId: string, chunkNumber: number) =>
  `${UPLOADS_PREFIX}${sessionId}/${chunkNumber}`;
