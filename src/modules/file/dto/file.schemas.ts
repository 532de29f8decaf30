import { z } from 'zod';
import { decimalInt, text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';

/** S3's limit on the parts of one object, and so on the chunks of one upload. */
export const MAX_CHUNKS = 10_000;
const MAX_BYTES = 2 ** 50;

export const listTaskFilesQuery = z.strictObject({ ...pageFields });

export const listProjectFilesQuery = z.strictObject({
  /** The recycle bin: deleted files, which the project owner may restore. */
  deleted: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  ...pageFields,
});

export const renameFileRequest = z.strictObject({
  title: text({ max: 200, required: true }),
});

/**
 * One chunk of a resumable upload, in simple-uploader.js's own field names: as multipart
 * fields before the `file` part (POST), or as the query of the test request (GET).
 */
export const chunkFields = z
  .strictObject({
    /** The client's name for the whole upload (simple-uploader: size and file name). */
    identifier: text({ max: 500, required: true }),
    /** From 1. */
    chunkNumber: decimalInt({ min: 1, max: MAX_CHUNKS }),
    totalChunks: decimalInt({ min: 1, max: MAX_CHUNKS }),
    /** The nominal chunk size; the last chunk may be larger (up to twice) or smaller. */
    chunkSize: decimalInt({ min: 1, max: MAX_BYTES }),
    /** The bytes of this chunk. */
    currentChunkSize: decimalInt({ min: 0, max: MAX_BYTES }),
    totalSize: decimalInt({ min: 0, max: MAX_BYTES }),
    filename: text({ max: 1000, required: true }),
    /** Sent by the uploader; only the file name is kept. */
    relativePath: text({ max: 2000 }).optional(),
  })
  .superRefine((chunk, context) => {
    if (chunk.chunkNumber > chunk.totalChunks) {
      context.addIssue({
        code: 'custom',
        path: ['chunkNumber'],
        message: 'must not exceed totalChunks',
      });
    }
    if (chunk.currentChunkSize > chunk.totalSize) {
      context.addIssue({
        code: 'custom',
        path: ['currentChunkSize'],
        message: 'must not exceed totalSize',
      });
    }
  });

/** The optional fields beside the `file` part of a plain upload. */
export const singleUploadFields = z.strictObject({
  /** The name to show instead of the part's own file name. */
  filename: text({ max: 1000, required: true }).optional(),
});

export type ListTaskFilesQuery = z.infer<typeof listTaskFilesQuery>;
export type ListProjectFilesQuery = z.infer<typeof listProjectFilesQuery>;
export type RenameFileRequest = z.infer<typeof renameFileRequest>;
export type ChunkFields = z.infer<typeof chunkFields>;
export type SingleUploadFields = z.infer<typeof singleUploadFields>;
