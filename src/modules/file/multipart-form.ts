import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Problem } from '@/common/problem';
import { SNIFF_BYTES } from './content-types';

/** The form's non-file fields: few and short (simple-uploader sends nine). */
const FIELD_LIMITS = { fields: 20, fieldSize: 4096, fieldNameSize: 100, files: 1, parts: 22 };

export const tooLarge = (field: string, limit: number) =>
  new Problem(413, 'payload_too_large', `${field}: larger than ${limit} bytes`, [
    { field, message: `must be at most ${limit} bytes` },
  ]);

/** An error of the form's reading as the client's fault; a Problem stays as it is. */
export function malformed(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const { statusCode, code } = (error ?? {}) as { statusCode?: number; code?: string };
  if (statusCode === 413 || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new Problem(413, 'payload_too_large', 'the form has too many parts or files');
  }
  // busboy's own messages quote the body: a fixed text instead.
  return new Problem(400, 'malformed_body', 'the multipart body is malformed');
}

/**
 * A multipart/form-data request read as it arrives (@fastify/multipart's streaming API,
 * never buffered): the fields first, then one file part whose bytes go straight on to
 * storage. The request's own limits (not the server's body limit, which multipart bodies
 * are exempt from) bound the file.
 */
export class MultipartForm {
  private constructor(private readonly parts: AsyncIterator<Multipart>) {}

  /** 415 unless the request is multipart/form-data. */
  static open(request: FastifyRequest, maxFileBytes: number): MultipartForm {
    if (!request.isMultipart()) {
      throw new Problem(415, 'unsupported_media_type', 'send multipart/form-data');
    }
    const parts = request.parts({
      limits: { ...FIELD_LIMITS, fileSize: maxFileBytes },
    });
    return new MultipartForm(parts[Symbol.asyncIterator]());
  }

  /** The fields before the `file` part, and that part (undefined when the form has none). */
  async fieldsThenFile(
    fileField: string | readonly string[] = 'file',
  ): Promise<{ fields: Record<string, string>; file?: MultipartFile }> {
    const fileFields: readonly string[] = typeof fileField === 'string' ? [fileField] : fileField;
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const part = await this.next();
      if (!part) return { fields };
      if (part.type === 'file') {
        if (!fileFields.includes(part.fieldname)) {
          await drain(part.file);
          throw Problem.invalid([{ field: part.fieldname, message: 'is not a known field' }]);
        }
        return { fields, file: part };
      }
      if (part.valueTruncated) {
        throw Problem.invalid([{ field: part.fieldname, message: 'is too long' }]);
      }
      if (part.fieldname in fields) {
        throw Problem.invalid([{ field: part.fieldname, message: 'is given twice' }]);
      }
      fields[part.fieldname] = String(part.value);
    }
  }

  /** Reads to the end: nothing may follow the file. */
  async finish(): Promise<void> {
    for (let part = await this.next(); part; part = await this.next()) {
      if (part.type === 'file') await drain(part.file);
      throw Problem.invalid([{ field: part.fieldname, message: 'must come before the file' }]);
    }
  }

  private async next(): Promise<Multipart | undefined> {
    try {
      const result: IteratorResult<Multipart> = await this.parts.next();
      return result.done ? undefined : result.value;
    } catch (error) {
      throw malformed(error);
    }
  }
}

/** Reads a part to its end (or its failure) and drops it. */
export async function drain(stream: Readable): Promise<void> {
  await finished(stream.resume()).catch(() => undefined);
}

/**
 * Counts the bytes on their way to storage, keeps the first few (to sniff the type), and
 * fails the write when there are more than `max` or, at the end, not exactly `expected`.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;

  private constructor(
    private readonly source: MultipartFile['file'],
    private readonly limits: { field: string; max: number; expected?: number },
  ) {
    super();
  }

  /**
   * The file part piped through a meter. The part may already have ended, been cut off past
   * the form's fileSize (busboy's `limit`, maybe before anyone listened) or failed (a body cut
   * short) by the time it is read: each of those fails the meter as it should.
   */
  static of(
    file: MultipartFile,
    limits: { field: string; max: number; expected?: number },
  ): UploadMeter {
    const meter = new UploadMeter(file.file, limits);
    file.file.once('limit', () => meter.destroy(tooLarge(limits.field, limits.max)));
    pipeline(file.file, meter, (error) => {
      // Refused: the rest of the part is read and dropped, so the request can be answered.
      if (error) file.file.resume();
    });
    return meter;
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks).subarray(0, SNIFF_BYTES);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.max) {
      done(tooLarge(this.limits.field, this.limits.max));
      return;
    }
    if (this.headBytes < SNIFF_BYTES) {
      this.headChunks.push(chunk.subarray(0, SNIFF_BYTES - this.headBytes));
      this.headBytes += Math.min(chunk.length, SNIFF_BYTES - this.headBytes);
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const { expected, field, max } = this.limits;
    if (this.source.truncated) {
      done(tooLarge(field, max));
      return;
    }
    if (expected !== undefined && this.bytes !== expected) {
      done(
        Problem.invalid([{ field, message: `the chunk has ${this.bytes} bytes, not ${expected}` }]),
      );
      return;
    }
    done();
  }

  /** The part's own failures (a body cut short) as the client's fault, never echoed. */
  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    done(error && malformed(error));
  }
}

/**
 * The fields and the one file of a small multipart/form-data upload (an image, a spreadsheet),
 * the file read whole up to `max` bytes: 400 naming `fileFields[0]` without one, 413 past `max`.
 */
export async function readSmallUpload(
  request: FastifyRequest,
  fileFields: readonly string[],
  max: number,
): Promise<{ fields: Record<string, string>; bytes: Buffer }> {
  const field = fileFields[0];
  const form = MultipartForm.open(request, max);
  const { fields, file } = await form.fieldsThenFile(fileFields);
  if (!file) throw Problem.invalid([{ field, message: 'required' }]);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of file.file) chunks.push(chunk as Buffer);
  } catch (error) {
    throw malformed(error);
  }
  if (file.file.truncated) throw tooLarge(field, max);
  await form.finish();
  return { fields, bytes: Buffer.concat(chunks) };
}
