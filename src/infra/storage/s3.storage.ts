import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AppConfig } from '@/config/schema';
import {
  assertSafeKey,
  ObjectNotFound,
  StorageUnavailable,
  type ByteRange,
  type ObjectPart,
  type StoragePort,
  type StoredObject,
} from './storage.port';

export type S3Config = AppConfig['storage']['s3'];

/** S3 refuses a multipart part under 5 MiB, but the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Objects deleted (or parts uploaded) at once. */
const CONCURRENCY = 8;

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Builds the client. Checksums only where an operation requires one ('WHEN_REQUIRED'): since
 * 3.729 the SDK by default sends a CRC32 with every upload, which for a stream body means
 * aws-chunked encoding with a trailing checksum. S3-compatible servers that do not speak it
 * (s3rver, Alibaba OSS, older MinIO) store the chunk framing as the object's bytes. Integrity
 * is checked by our own size checks instead, and TLS protects the bytes in transit.
 */
export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    endpoint: config.endpoint || undefined,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    // Without keys: the SDK's default chain (environment, instance or pod role).
    credentials: config.accessKeyId
      ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
      : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

/**
 * A bucket of an S3-compatible server. Chunks are assembled by a multipart upload: a chunk of
 * 5 MiB or more becomes a part by a server-side copy (UploadPartCopy), smaller ones are
 * streamed through in groups of at least 5 MiB; servers without UploadPartCopy (s3rver) get
 * every part streamed.
 */
export class S3Storage implements StoragePort {
  readonly backend = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private copyPartsSupported = true;

  constructor(private readonly config: S3Config) {
    this.client = createS3Client(config);
    this.bucket = config.bucket;
  }

  get label(): string {
    return `s3 ${this.config.endpoint || 'aws'}/${this.bucket}`;
  }

  async put(key: string, body: Readable, contentType?: string): Promise<number> {
    let size = 0;
    const counted = body.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    // The body's own failure (too large, cut off) is the answer, not a storage fault.
    let bodyError: Error | undefined;
    body.once('error', (error) => {
      bodyError = error;
      counted.destroy(error);
    });
    // Buffers at most one 5 MiB part at a time; one PutObject when the body is smaller.
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: assertSafeKey(key),
        Body: counted,
        ContentType: contentType,
      },
      queueSize: 1,
      partSize: MIN_PART_BYTES,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw bodyError ?? this.translate('put', error);
    }
    return size;
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const answer = await this.call(
      'get',
      () =>
        this.client.send(
          new GetObjectCommand({
            Bucket: this.bucket,
            Key: assertSafeKey(key),
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        ),
      key,
    );
    return answer.Body as Readable;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.call(
        'stat',
        () =>
          this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) })),
        key,
      );
      return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (error instanceof ObjectNotFound) return null;
      throw error;
    }
  }

  /** One DeleteObject each: DeleteObjects needs a Content-MD5 that some S3-compatibles insist on. */
  async delete(keys: string[]): Promise<void> {
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const target = assertSafeKey(key);
        await this.call('delete', () =>
          this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: target })),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  }

  async compose(key: string, parts: ObjectPart[], contentType?: string): Promise<number> {
    const Key = assertSafeKey(key);
    const { UploadId } = await this.call('compose', () =>
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType: contentType }),
      ),
    );
    try {
      const completed: CompletedPart[] = [];
      for (const [index, group] of groupParts(parts).entries()) {
        const PartNumber = index + 1;
        completed.push({
          PartNumber,
          ETag: await this.uploadPart(Key, UploadId!, PartNumber, group),
        });
      }
      await this.call('compose', () =>
        this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            MultipartUpload: { Parts: completed },
          }),
        ),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
    return parts.reduce((sum, part) => sum + part.size, 0);
  }

  private async uploadPart(
    Key: string,
    UploadId: string,
    PartNumber: number,
    group: ObjectPart[],
  ): Promise<string | undefined> {
    if (group.length === 1 && group[0].size >= MIN_PART_BYTES && this.copyPartsSupported) {
      try {
        const copied = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            PartNumber,
            CopySource: `${this.bucket}/${assertSafeKey(group[0].key)}`,
          }),
        );
        return copied.CopyPartResult?.ETag;
      } catch (error) {
        if ((error as SdkError).name !== 'NotImplemented') throw this.translate('compose', error);
        // Remembered for the life of this client: the server has no server-side part copy.
        this.copyPartsSupported = false;
      }
    }
    const body = Readable.from(this.concatenated(group));
    const answer = await this.call('compose', () =>
      this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key,
          UploadId,
          PartNumber,
          Body: body,
          ContentLength: group.reduce((sum, part) => sum + part.size, 0),
        }),
      ),
    );
    return answer.ETag;
  }

  private async *concatenated(group: ObjectPart[]): AsyncIterable<Buffer> {
    for (const part of group) {
      for await (const chunk of await this.get(part.key)) yield chunk as Buffer;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call('list', () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
        ),
      );
      for (const entry of page.Contents ?? []) {
        if (!entry.Key) continue;
        yield {
          key: entry.Key,
          size: entry.Size ?? 0,
          modifiedAt: entry.LastModified ?? new Date(0),
        };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async probe(): Promise<void> {
    const Key = `probes/${randomUUID()}`;
    const content = Buffer.from(`probe ${Key}`);
    await this.call('probe (write)', () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: content })),
    );
    try {
      const read: Buffer[] = [];
      for await (const chunk of await this.get(Key)) read.push(chunk as Buffer);
      if (!Buffer.concat(read).equals(content)) {
        throw new StorageUnavailable(`${this.label}: a probe object read back differently`);
      }
    } finally {
      await this.delete([Key]);
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  private async call<T>(operation: string, run: () => Promise<T>, key?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.translate(operation, error, key);
    }
  }

  private translate(operation: string, error: unknown, key?: string): Error {
    if (error instanceof StorageUnavailable || error instanceof ObjectNotFound) return error;
    const { name, code, $metadata } = (error ?? {}) as SdkError;
    const status = $metadata?.httpStatusCode;
    if (key !== undefined && (name === 'NoSuchKey' || name === 'NotFound' || status === 404)) {
      return new ObjectNotFound(key);
    }
    // The SDK's messages are the server's: name and status say enough, and echo nothing.
    const why = [name ?? code ?? 'error', status ? `HTTP ${status}` : ''].filter(Boolean);
    return new StorageUnavailable(`${this.label}: ${operation} failed (${why.join(', ')})`);
  }
}

/** Consecutive parts in groups of at least 5 MiB each, but the last. */
export function groupParts(parts: ObjectPart[]): ObjectPart[][] {
  const groups: ObjectPart[][] = [];
  let current: ObjectPart[] = [];
  let size = 0;
  for (const part of parts) {
    current.push(part);
    size += part.size;
    if (size >= MIN_PART_BYTES) {
      groups.push(current);
      current = [];
      size = 0;
    }
  }
  // The last part may be smaller.
  if (current.length) groups.push(current);
  return groups;
}
