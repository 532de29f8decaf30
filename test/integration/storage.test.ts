import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { LocalStorage } from '@/infra/storage/local.storage';
import { S3Storage } from '@/infra/storage/s3.storage';
import { ObjectNotFound, type StoragePort } from '@/infra/storage/storage.port';
import { UploadService } from '@/modules/file/upload.service';
import { freePort } from '../support/ports';
import { filesDirectory, mergeDeep, reconfigure, startTestApp, type TestApp } from '../support/app';
import {
  chunksOf,
  createTask,
  download,
  patternedBytes,
  probeChunk,
  uploadChunk,
  uploadFile,
  type FileBody,
} from '../support/files';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, sql } from '../support/projects';
import { createTestBucket } from '../support/s3';

const MIB = 1024 * 1024;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('storage adapters', () => {
  const adapters: {
    name: string;
    open: () => Promise<{ port: StoragePort; drop(): Promise<void> }>;
  }[] = [
    {
      name: 'local',
      open: async () => {
        const root = await mkdtemp(join(tmpdir(), 'msproject-storage-'));
        return {
          port: new LocalStorage(root),
          drop: () => rm(root, { recursive: true, force: true }),
        };
      },
    },
    {
      name: 's3',
      open: async () => {
        const bucket = await createTestBucket();
        const port = new S3Storage(bucket.config);
        return {
          port,
          drop: async () => {
            await port.close();
            await bucket.drop();
          },
        };
      },
    },
  ];

  for (const { name, open } of adapters) {
    describe(name, () => {
      let storage: StoragePort;
      let opened: { drop(): Promise<void> } | undefined;

      before(async () => {
        const fixture = await open();
        storage = fixture.port;
        opened = fixture;
      });
      after(() => opened?.drop());

      it('passes its probe', async () => {
        await storage.probe();
      });

      it('puts a stream, reads it whole and by range, stats, lists and deletes it', async () => {
        const bytes = patternedBytes(70_000);
        const size = await storage.put(
          'files/1/2/object',
          Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
        );
        assert.equal(size, bytes.length);
        assert.ok((await bytesOf(await storage.get('files/1/2/object'))).equals(bytes));
        const part = await bytesOf(
          await storage.get('files/1/2/object', { start: 100, end: 64_099 }),
        );
        assert.ok(part.equals(bytes.subarray(100, 64_100)));
        assert.equal((await storage.stat('files/1/2/object'))?.size, bytes.length);
        assert.equal(await storage.stat('files/1/2/nothing'), null);
        await assert.rejects(storage.get('files/1/2/nothing'), ObjectNotFound);
        const listed = [];
        for await (const object of storage.list('files/1/')) listed.push(object.key);
        assert.deepEqual(listed, ['files/1/2/object']);
        // Replaced whole.
        await storage.put('files/1/2/object', Readable.from([Buffer.from('new')]));
        assert.equal((await bytesOf(await storage.get('files/1/2/object'))).toString(), 'new');
        await storage.delete(['files/1/2/object', 'files/1/2/never-there']);
        assert.equal(await storage.stat('files/1/2/object'), null);
      });

      it('keeps nothing of a write whose stream fails', async () => {
        const failing = new Readable({ read() {} });
        failing.push(Buffer.alloc(1000));
        setImmediate(() => failing.destroy(new Error('client went away')));
        await assert.rejects(storage.put('files/9/9/broken', failing));
        assert.equal(await storage.stat('files/9/9/broken'), null);
      });

      it('composes parts (large and small) into one object, in order', async () => {
        const sizes = [5 * MIB, 6 * MIB, 10_000, 1, 70_000];
        const pieces = sizes.map((length, index) =>
          patternedBytes(length).map((byte) => (byte + index) & 0xff),
        );
        const parts = [];
        for (const [index, piece] of pieces.entries()) {
          const key = `uploads/compose/${index + 1}`;
          await storage.put(key, Readable.from([Buffer.from(piece)]));
          parts.push({ key, size: piece.length });
        }
        const size = await storage.compose('files/3/4/composed', parts);
        assert.equal(
          size,
          sizes.reduce((sum, length) => sum + length, 0),
        );
        const joined = await bytesOf(await storage.get('files/3/4/composed'));
        assert.ok(joined.equals(Buffer.concat(pieces.map((piece) => Buffer.from(piece)))));
        await storage.delete(['files/3/4/composed', ...parts.map((part) => part.key)]);
      });

      it('refuses keys that could leave its root', async () => {
        for (const key of ['../x', 'files/../../x', '/etc/passwd', 'a//b', 'files/ä']) {
          await assert.rejects(storage.put(key, Readable.from([Buffer.from('x')])), /unsafe/);
        }
      });
    });
  }

  it('fails the probe of a bucket that does not exist, naming no secret', async () => {
    const bucket = await createTestBucket();
    const port = new S3Storage({
      ...bucket.config,
      bucket: 'msproject-no-such-bucket',
      secretAccessKey: 'do-not-print-this-secret',
    });
    try {
      await assert.rejects(port.probe(), (error: Error) => {
        assert.match(error.message, /msproject-no-such-bucket.*NoSuchBucket/);
        assert.doesNotMatch(error.message, /do-not-print-this-secret/);
        return true;
      });
    } finally {
      await port.close();
      await bucket.drop();
    }
  });
});

describe('storage backends of the running app', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let taskId: string;
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;

  before(async () => {
    bucket = await createTestBucket();
    app = await startTestApp({ config: { storage: { s3: bucket.config } } });
    [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
    const made = await board(app, owner, member);
    taskId = (await createTask(app, owner.accessToken, made.project.id, made.stages[0].id)).id;
  });

  after(async () => {
    await app?.close();
    await bucket?.drop();
  });

  /** Makes `backend` the default for new files (a no-op when it already is). */
  async function useDefault(backend: 'local' | 's3') {
    if (app.center.config.storage.default !== backend) {
      await reconfigure(app, { storage: { default: backend } });
    }
  }

  const backendOf = async (title: string) =>
    (await sql<{ backend: string }>(app, 'SELECT backend FROM file WHERE title = ?', [title]))[0]
      ?.backend;

  /** An interrupted upload resumed as simple-uploader does it: probe, out of order, one again. */
  async function resumedUpload(bytes: Buffer, filename: string): Promise<FileBody> {
    const token = member.accessToken;
    const chunks = chunksOf(bytes, filename);
    assert.equal(chunks.length, 3);
    const [first, second, third] = chunks;
    assert.equal((await uploadChunk(app, token, taskId, third)).status, 200);
    assert.equal((await uploadChunk(app, token, taskId, first)).status, 200);
    // The connection dropped here; the client comes back and asks what is missing.
    const probes = [];
    for (const chunk of chunks) probes.push(await probeChunk(app, token, taskId, chunk.fields));
    assert.deepEqual(probes, [200, 204, 200]);
    // It sends the first one again anyway (an unconfirmed request), then the missing one.
    assert.equal((await uploadChunk(app, token, taskId, first)).status, 200);
    const last = await uploadChunk(app, token, taskId, second);
    assert.equal(last.status, 201, JSON.stringify(last.body));
    return last.body.file!;
  }

  for (const backend of ['local', 's3'] as const) {
    it(`resumes a chunked upload into a byte-identical file on ${backend}`, async () => {
      await useDefault(backend);
      const bytes = patternedBytes(15 * MIB + 4321);
      const file = await resumedUpload(bytes, `resumed-${backend}.bin`);
      assert.equal(file.size, bytes.length);
      assert.equal(await backendOf(file.title), backend);
      const fetched = await download(app, owner.accessToken, file.id);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.bytes.length, bytes.length);
      assert.ok(fetched.bytes.equals(bytes));
      const part = await download(app, owner.accessToken, file.id, {
        range: 'bytes=5242870-5242889',
      });
      assert.equal(part.status, 206);
      assert.ok(part.bytes.equals(bytes.subarray(5_242_870, 5_242_890)));
    });
  }

  it('takes the chunks of one upload at two instances and assembles it once', async () => {
    await useDefault('s3');
    // A second instance on the same database, Redis keys and storage.
    const second = await startTestApp({
      config: {
        db: { master: { db: app.database } },
        redis: { keyPrefix: `${app.database}:` },
        storage: {
          default: 's3',
          s3: bucket.config,
          local: { root: filesDirectory(app.database) },
        },
      },
    });
    try {
      const token = member.accessToken;
      const bytes = patternedBytes(4 * 64 * 1024 + 99);
      const chunks = chunksOf(bytes, 'two-instances.bin', 64 * 1024);
      assert.equal(chunks.length, 4);
      assert.equal((await uploadChunk(app, token, taskId, chunks[0])).status, 200);
      assert.equal((await uploadChunk(second, token, taskId, chunks[1])).status, 200);
      assert.equal(await probeChunk(second, token, taskId, chunks[0].fields), 200);
      assert.equal(await probeChunk(app, token, taskId, chunks[2].fields), 204);
      const answers = await Promise.all([
        uploadChunk(app, token, taskId, chunks[2]),
        uploadChunk(second, token, taskId, chunks[3]),
        uploadChunk(app, token, taskId, chunks[3]),
      ]);
      const files = answers.flatMap((answer) => (answer.body.file ? [answer.body.file.id] : []));
      assert.ok(files.length >= 1, JSON.stringify(answers.map((answer) => answer.body)));
      assert.equal(new Set(files).size, 1);
      const rows = await sql(app, 'SELECT id FROM file WHERE title = ?', ['two-instances.bin']);
      assert.equal(rows.length, 1);
      assert.ok((await download(second, owner.accessToken, files[0])).bytes.equals(bytes));
    } finally {
      await second.close();
    }
  });

  it('keeps files readable from the backend they were written to when the default changes', async () => {
    await useDefault('local');
    const onDisk = await uploadFile(
      app,
      owner.accessToken,
      taskId,
      Buffer.from('on disk'),
      'disk.txt',
    );
    await useDefault('s3');
    const inBucket = await uploadFile(
      app,
      owner.accessToken,
      taskId,
      Buffer.from('in bucket'),
      'bucket.txt',
    );
    assert.deepEqual([await backendOf('disk.txt'), await backendOf('bucket.txt')], ['local', 's3']);
    assert.equal(
      (await download(app, owner.accessToken, onDisk.body.id)).bytes.toString(),
      'on disk',
    );
    await useDefault('local');
    assert.equal(
      (await download(app, owner.accessToken, inBucket.body.id)).bytes.toString(),
      'in bucket',
    );
  });

  it('rejects an S3 config that fails its probe and keeps serving with the old one', async () => {
    await useDefault('s3');
    const before = await uploadFile(
      app,
      owner.accessToken,
      taskId,
      Buffer.from('kept'),
      'kept.txt',
    );
    assert.equal(before.status, 201);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    for (const s3 of [
      { bucket: 'msproject-no-such-bucket', secretAccessKey: 'reload-secret-never-shown' },
      { endpoint: unreachable, secretAccessKey: 'reload-secret-never-shown' },
    ]) {
      const attempt = await app.center.apply(
        stringify(mergeDeep(app.center.config, { storage: { s3, probeTimeoutMs: 3000 } })),
        'file',
      );
      assert.equal(attempt.outcome, 'rejected');
      assert.match(attempt.error ?? '', /storage: s3 /);
      assert.doesNotMatch(attempt.error ?? '', /reload-secret-never-shown/);
    }
    assert.equal(app.center.config.storage.s3.bucket, bucket.config.bucket);
    assert.equal((await download(app, owner.accessToken, before.body.id)).bytes.toString(), 'kept');
    const after = await uploadFile(
      app,
      owner.accessToken,
      taskId,
      Buffer.from('still'),
      'still.txt',
    );
    assert.equal(after.status, 201);
    assert.equal(await backendOf('still.txt'), 's3');
    assert.equal((await download(app, owner.accessToken, after.body.id)).bytes.toString(), 'still');
  });

  it('sweeps the chunks of uploads left idle past the upload TTL, and only those', async () => {
    await useDefault('local');
    const [abandoned] = chunksOf(patternedBytes(3000), 'abandoned.bin', 1000);
    assert.equal((await uploadChunk(app, owner.accessToken, taskId, abandoned)).status, 200);
    const uploads = app.app.get(UploadService);
    assert.equal(await uploads.sweepAbandoned(), 0);
    const ttlMs = app.center.config.attachments.uploadTtlSeconds * 1000;
    assert.equal(await uploads.sweepAbandoned(Date.now() + ttlMs + 1000), 1);
  });
});
