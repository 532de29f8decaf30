import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TaskPurge } from '@/modules/project/task-purge';
import { filesDirectory, reconfigure, startTestApp, type TestApp } from '../support/app';
import {
  chunksOf,
  createTask,
  download,
  fileGrpcClient,
  patternedBytes,
  probeChunk,
  uploadChunk,
  uploadFile,
  type FileBody,
} from '../support/files';
import { unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, sql, type PageBody, type ProblemBody } from '../support/projects';

const MIB = 1024 * 1024;

describe('task attachments', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;
  let projectId: string;
  let stageId: string;

  before(async () => {
    app = await startTestApp();
    [owner, member, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    const made = await board(app, owner, member);
    projectId = made.project.id;
    stageId = made.stages[0].id;
  });

  after(async () => {
    await app?.close();
  });

  const newTask = () => createTask(app, owner.accessToken, projectId, stageId);

  async function uploaded(taskId: string, bytes: Buffer, name: string, token = owner.accessToken) {
    const response = await uploadFile(app, token, taskId, bytes, name);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  const taskFiles = async (taskId: string, token = owner.accessToken) =>
    call<PageBody<FileBody>>(app, 'GET', `/api/v1/tasks/${taskId}/files`, { token });

  it('uploads a file in one request: listed on its task and project, with its uploader and an activity entry', async () => {
    const task = await newTask();
    const bytes = Buffer.from('%PDF-1.7 a small document');
    const file = await uploaded(task.id, bytes, 'Quarterly report.pdf', member.accessToken);
    assert.equal(file.title, 'Quarterly report.pdf');
    assert.equal(file.extension, 'pdf');
    assert.equal(file.size, bytes.length);
    assert.equal(file.contentType, 'application/pdf');
    assert.equal(file.uploader.id, member.id);
    assert.equal(file.uploader.name, member.input.name);
    assert.equal(file.taskId, task.id);
    assert.equal(file.projectId, projectId);

    const listed = await taskFiles(task.id);
    assert.deepEqual(
      listed.body.items.map((item) => item.id),
      [file.id],
    );
    const ofProject = await call<PageBody<FileBody>>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/files?pageSize=100`,
      { token: member.accessToken },
    );
    assert.ok(ofProject.body.items.some((item) => item.id === file.id));
    const activity = await call<
      PageBody<{ type: string; content: string; member: { id: string } }>
    >(app, 'GET', `/api/v1/tasks/${task.id}/activity`, { token: owner.accessToken });
    assert.deepEqual(
      activity.body.items.map((entry) => [entry.type, entry.content, entry.member.id]),
      [
        ['upload', 'Quarterly report.pdf', member.id],
        ['create', activity.body.items[1].content, owner.id],
      ],
    );
    // The stored object is named by the app, never by the client.
    const [row] = await sql<{ storageKey: string; backend: string }>(
      app,
      'SELECT storageKey, backend FROM file',
    );
    assert.equal(row.backend, 'local');
    assert.match(row.storageKey, /^files\/\d+\/\d+\/[0-9a-f-]{36}$/);
  });

  it('sanitizes names: no path, control or bidi characters, bounded length, extension kept', async () => {
    const task = await newTask();
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\me\\report.docx', 'report.docx'],
      ['invoice\u202efdp.exe', 'invoicefdp.exe'],
      ['tab\there\u0007.txt', 'tabhere.txt'],
      ['  ..hidden. ', 'hidden'],
      ['CON.txt', '_CON.txt'],
      [`${'a'.repeat(300)}.xlsx`, `${'a'.repeat(195)}.xlsx`],
    ];
    for (const [sent, shown] of cases) {
      const file = await uploaded(task.id, Buffer.from('x'), sent);
      assert.equal(file.title, shown, sent);
    }
    // The names never reached the file system: only the app's own keys are there.
    const root = filesDirectory(app.database);
    const stored = await readdir(root, { recursive: true });
    assert.ok(
      stored.every((path) => !/passwd|report|invoice/.test(path)),
      stored.join(', '),
    );
  });

  it('sends chunks in any order, again, and after a probe: one file, byte for byte', async () => {
    const task = await newTask();
    const bytes = patternedBytes(3 * 64 * 1024 + 1234);
    const chunks = chunksOf(bytes, 'scan.bin', 64 * 1024);
    assert.equal(chunks.length, 3);
    const [first, second, third] = chunks;
    assert.equal(await probeChunk(app, owner.accessToken, task.id, second.fields), 204);

    const answers = [
      await uploadChunk(app, owner.accessToken, task.id, second),
      // Re-sent: idempotent, still two to go.
      await uploadChunk(app, owner.accessToken, task.id, second),
    ];
    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.body.complete, answer.body.received]),
      [
        [200, false, 1],
        [200, false, 1],
      ],
    );
    // Resuming: the client asks which chunks it must still send.
    const probes = [];
    for (const chunk of chunks)
      probes.push(await probeChunk(app, owner.accessToken, task.id, chunk.fields));
    assert.deepEqual(probes, [204, 200, 204]);
    assert.equal((await uploadChunk(app, owner.accessToken, task.id, third)).status, 200);
    const last = await uploadChunk(app, owner.accessToken, task.id, first);
    assert.equal(last.status, 201, JSON.stringify(last.body));
    assert.equal(last.body.complete, true);
    const file = last.body.file!;
    assert.equal(file.title, 'scan.bin');
    assert.equal(file.size, bytes.length);

    const fetched = await download(app, owner.accessToken, file.id);
    assert.equal(fetched.status, 200);
    assert.ok(fetched.bytes.equals(bytes));
    // Done: every chunk probes as there, and a late duplicate answers with the same file.
    assert.equal(await probeChunk(app, owner.accessToken, task.id, first.fields), 200);
    const late = await uploadChunk(app, owner.accessToken, task.id, third);
    assert.equal(late.body.file?.id, file.id);
    assert.equal((await taskFiles(task.id)).body.total, 1);
    // The chunks are gone from storage once assembled.
    const leftovers = await readdir(filesDirectory(app.database), { recursive: true });
    assert.ok(!leftovers.some((path) => path.startsWith('uploads/') && /\/\d+$/.test(path)));
  });

  it('assembles once when the last two chunks arrive together', async () => {
    const task = await newTask();
    const bytes = patternedBytes(4 * 32 * 1024);
    const chunks = chunksOf(bytes, 'race.bin', 32 * 1024);
    await uploadChunk(app, owner.accessToken, task.id, chunks[0]);
    await uploadChunk(app, owner.accessToken, task.id, chunks[1]);
    const answers = await Promise.all([
      uploadChunk(app, owner.accessToken, task.id, chunks[2]),
      uploadChunk(app, owner.accessToken, task.id, chunks[3]),
      uploadChunk(app, owner.accessToken, task.id, chunks[3]),
    ]);
    const files = answers.flatMap((answer) => (answer.body.file ? [answer.body.file.id] : []));
    assert.ok(files.length >= 1, JSON.stringify(answers.map((answer) => answer.body)));
    assert.equal(new Set(files).size, 1);
    const listed = await taskFiles(task.id);
    assert.equal(listed.body.total, 1);
    const fetched = await download(app, owner.accessToken, files[0]);
    assert.ok(fetched.bytes.equals(bytes));
  });

  it('refuses an upload whose chunks do not add up to totalSize, and a chunk of another size', async () => {
    const task = await newTask();
    const bytes = patternedBytes(2000);
    const [chunk] = chunksOf(bytes, 'short.bin', 1000);
    const lying = await uploadChunk(app, owner.accessToken, task.id, {
      fields: { ...chunk.fields, currentChunkSize: 999 },
      bytes: chunk.bytes,
    });
    assert.equal(lying.status, 400);
    assert.equal((lying.body as unknown as ProblemBody).errors?.[0].field, 'currentChunkSize');
    const wrongTotal = chunksOf(bytes, 'short.bin', 1000).map((part) => ({
      ...part,
      fields: { ...part.fields, identifier: 'wrong-total', totalSize: 2001 },
    }));
    await uploadChunk(app, owner.accessToken, task.id, wrongTotal[0]);
    const last = await uploadChunk(app, owner.accessToken, task.id, wrongTotal[1]);
    assert.equal(last.status, 400);
    assert.equal((last.body as unknown as ProblemBody).errors?.[0].field, 'totalSize');
    assert.equal((await taskFiles(task.id)).body.total, 0);
  });

  it('downloads with the type, nosniff, an RFC 5987 attachment name and byte ranges', async () => {
    const task = await newTask();
    const bytes = patternedBytes(1000);
    const file = await uploaded(task.id, bytes, 'Übersicht 2026 (final).png');
    const whole = await download(app, member.accessToken, file.id);
    assert.equal(whole.status, 200);
    assert.ok(whole.bytes.equals(bytes));
    assert.equal(whole.headers.get('content-type'), 'image/png');
    assert.equal(whole.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.equal(
      whole.headers.get('content-disposition'),
      `attachment; filename="_bersicht 2026 (final).png"; filename*=UTF-8''%C3%9Cbersicht%202026%20%28final%29.png`,
    );
    const part = await download(app, member.accessToken, file.id, { range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 100-199/1000');
    assert.ok(part.bytes.equals(bytes.subarray(100, 200)));
    const tail = await download(app, member.accessToken, file.id, { range: 'bytes=-10' });
    assert.equal(tail.status, 206);
    assert.ok(tail.bytes.equals(bytes.subarray(990)));
    const open = await download(app, member.accessToken, file.id, { range: 'bytes=995-' });
    assert.ok(open.bytes.equals(bytes.subarray(995)));
    const past = await download(app, member.accessToken, file.id, { range: 'bytes=1000-' });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */1000');
    const [{ downloads }] = await sql<{ downloads: number }>(
      app,
      'SELECT downloads FROM file WHERE title = ?',
      [file.title],
    );
    // Whole and from byte 0 count; resumed pieces do not.
    assert.equal(downloads, 1);
  });

  it('renames a file, keeping its extension; its uploader or the project owner only', async () => {
    const task = await newTask();
    const file = await uploaded(task.id, Buffer.from('a,b'), 'data.csv', member.accessToken);
    const renamed = await call<FileBody>(app, 'PATCH', `/api/v1/files/${file.id}`, {
      token: member.accessToken,
      body: { title: 'Budget/2027' },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.title, '2027.csv');
    const byOwner = await call<FileBody>(app, 'PATCH', `/api/v1/files/${file.id}`, {
      token: owner.accessToken,
      body: { title: 'budget.csv' },
    });
    assert.equal(byOwner.body.title, 'budget.csv');
    const ownerFile = await uploaded(task.id, Buffer.from('x'), 'owner.txt');
    const byOther = await call<ProblemBody>(app, 'PATCH', `/api/v1/files/${ownerFile.id}`, {
      token: member.accessToken,
      body: { title: 'mine.txt' },
    });
    assert.equal(byOther.status, 403);
    const blank = await call<ProblemBody>(app, 'PATCH', `/api/v1/files/${file.id}`, {
      token: owner.accessToken,
      body: { title: '  ' },
    });
    assert.equal(blank.status, 400);
    assert.equal(blank.body.errors?.[0].field, 'title');
  });

  it('deletes to the recycle bin, which only the project owner empties back', async () => {
    const task = await newTask();
    const file = await uploaded(task.id, Buffer.from('draft'), 'draft.txt', member.accessToken);
    const deleted = await call(app, 'DELETE', `/api/v1/files/${file.id}`, {
      token: member.accessToken,
    });
    assert.equal(deleted.status, 204);
    assert.equal((await taskFiles(task.id)).body.total, 0);
    assert.equal((await download(app, owner.accessToken, file.id)).status, 404);
    const bin = await call<PageBody<FileBody>>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/files?deleted=true`,
      { token: member.accessToken },
    );
    assert.deepEqual(
      bin.body.items
        .filter((item) => item.taskId === task.id)
        .map((item) => [item.id, item.deleted]),
      [[file.id, true]],
    );
    const byMember = await call<ProblemBody>(app, 'POST', `/api/v1/files/${file.id}/restore`, {
      token: member.accessToken,
    });
    assert.equal(byMember.status, 403);
    const restored = await call<FileBody>(app, 'POST', `/api/v1/files/${file.id}/restore`, {
      token: owner.accessToken,
    });
    assert.equal(restored.status, 200);
    assert.equal(restored.body.deleted, false);
    assert.equal((await download(app, member.accessToken, file.id)).bytes.toString(), 'draft');
  });

  it('shows a non-member nothing: 404 on every file route, as for an unknown id', async () => {
    const task = await newTask();
    const file = await uploaded(task.id, Buffer.from('secret'), 'plan.txt');
    const token = outsider.accessToken;
    const [chunk] = chunksOf(Buffer.from('secret'), 'plan.txt', 1024);
    const statuses = [
      (await taskFiles(task.id, token)).status,
      (await call(app, 'GET', `/api/v1/projects/${projectId}/files`, { token })).status,
      (await call(app, 'GET', `/api/v1/files/${file.id}`, { token })).status,
      (await download(app, token, file.id)).status,
      (await call(app, 'PATCH', `/api/v1/files/${file.id}`, { token, body: { title: 'x' } }))
        .status,
      (await call(app, 'DELETE', `/api/v1/files/${file.id}`, { token })).status,
      (await call(app, 'POST', `/api/v1/files/${file.id}/restore`, { token })).status,
      (await uploadFile(app, token, task.id, Buffer.from('x'), 'x.txt')).status,
      (await uploadChunk(app, token, task.id, chunk)).status,
      await probeChunk(app, token, task.id, chunk.fields),
    ];
    assert.deepEqual(statuses, Array(statuses.length).fill(404));
    assert.equal((await taskFiles(task.id)).body.total, 1);
  });

  it('keeps a private task’s files from members who cannot see the task', async () => {
    const task = await createTask(app, member.accessToken, projectId, stageId);
    await call(app, 'PATCH', `/api/v1/projects/${projectId}`, {
      token: owner.accessToken,
      body: { openTaskPrivate: true },
    });
    const hidden = await createTask(app, member.accessToken, projectId, stageId);
    await call(app, 'PATCH', `/api/v1/projects/${projectId}`, {
      token: owner.accessToken,
      body: { openTaskPrivate: false },
    });
    const visible = await uploaded(task.id, Buffer.from('open'), 'open.txt', member.accessToken);
    const secret = await uploaded(hidden.id, Buffer.from('mine'), 'mine.txt', member.accessToken);
    const seen = await call<PageBody<FileBody>>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/files?pageSize=100`,
      { token: owner.accessToken },
    );
    const ids = seen.body.items.map((item) => item.id);
    assert.ok(ids.includes(visible.id));
    assert.ok(!ids.includes(secret.id));
    assert.equal(
      (await call(app, 'GET', `/api/v1/files/${secret.id}`, { token: owner.accessToken })).status,
      404,
    );
  });

  it('applies size and count limits changed live, whatever the server body limit', async () => {
    const task = await newTask();
    // A 5 MiB chunk (simple-uploader's size) through a 1 MiB server body limit.
    assert.equal((app.config.server as { bodyLimitBytes?: number }).bodyLimitBytes, undefined);
    const big = patternedBytes(5 * MIB + 17);
    const [whole] = chunksOf(big, 'big.bin');
    const accepted = await uploadChunk(app, owner.accessToken, task.id, whole);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.ok((await download(app, owner.accessToken, accepted.body.file!.id)).bytes.equals(big));

    await reconfigure(app, { attachments: { maxFileBytes: 1000, maxChunkBytes: 600 } });
    try {
      const tooBig = await uploadFile(
        app,
        owner.accessToken,
        task.id,
        patternedBytes(1001),
        'a.bin',
      );
      assert.equal(tooBig.status, 413);
      assert.equal((tooBig.body as unknown as ProblemBody).errors?.[0].field, 'file');
      assert.equal(
        (await uploadFile(app, owner.accessToken, task.id, patternedBytes(1000), 'b.bin')).status,
        201,
      );
      const [bigChunk] = chunksOf(patternedBytes(900), 'c.bin', 900);
      const chunkTooBig = await uploadChunk(app, owner.accessToken, task.id, bigChunk);
      assert.equal(chunkTooBig.status, 413);
      assert.equal(
        (chunkTooBig.body as unknown as ProblemBody).errors?.[0].field,
        'currentChunkSize',
      );
      const [totalTooBig] = chunksOf(patternedBytes(1500), 'd.bin', 500);
      const refused = await uploadChunk(app, owner.accessToken, task.id, totalTooBig);
      assert.equal(refused.status, 413);
      assert.equal((refused.body as unknown as ProblemBody).errors?.[0].field, 'totalSize');

      await reconfigure(app, { attachments: { maxFilesPerTask: 2 } });
      const full = await uploadFile(app, owner.accessToken, task.id, Buffer.from('x'), 'e.txt');
      assert.equal(full.status, 409);
      assert.equal((full.body as unknown as ProblemBody).code, 'too_many_files');
    } finally {
      await reconfigure(app, {
        attachments: { maxFileBytes: 100 * MIB, maxChunkBytes: 10 * MIB, maxFilesPerTask: 100 },
      });
    }
    assert.equal(
      (await uploadFile(app, owner.accessToken, task.id, patternedBytes(1001), 'f.bin')).status,
      201,
    );
  });

  it('refuses what is not a multipart upload, a second file and a field after the file', async () => {
    const task = await newTask();
    const json = await call<ProblemBody>(app, 'POST', `/api/v1/tasks/${task.id}/files`, {
      token: owner.accessToken,
      body: { file: 'x' },
    });
    assert.equal(json.status, 415);
    const noFile = await fetch(`${app.baseUrl}/api/v1/tasks/${task.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: (() => {
        const data = new FormData();
        data.append('filename', 'x.txt');
        return data;
      })(),
    });
    assert.equal(noFile.status, 400);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('file', new Blob(['b']), 'b.txt');
    const twoFiles = await fetch(`${app.baseUrl}/api/v1/tasks/${task.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: two,
    });
    assert.equal(twoFiles.status, 413);
    const late = new FormData();
    late.append('file', new Blob(['a']), 'a.txt');
    late.append('filename', 'late.txt');
    const fieldAfter = await fetch(`${app.baseUrl}/api/v1/tasks/${task.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: late,
    });
    assert.equal(fieldAfter.status, 400);
    const truncated = await fetch(`${app.baseUrl}/api/v1/tasks/${task.id}/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${owner.accessToken}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
    });
    assert.equal(truncated.status, 400);
    assert.equal((await taskFiles(task.id)).body.total, 0);
  });

  it('removes the files of tasks deleted for good, their bytes after the commit', async () => {
    const dataSource = app.app.get<DataSource>(getDataSourceToken());
    const purge = app.app.get(TaskPurge);
    const task = await newTask();
    const file = await uploaded(task.id, Buffer.from('gone'), 'gone.txt');
    const [row] = await sql<{ id: number; taskId: number; storageKey: string }>(
      app,
      'SELECT id, taskId, storageKey FROM file WHERE title = ?',
      ['gone.txt'],
    );
    const objectPath = `${filesDirectory(app.database)}/${row.storageKey}`;
    const exists = () =>
      stat(objectPath).then(
        () => true,
        () => false,
      );

    await assert.rejects(
      dataSource.transaction(async (manager) => {
        await purge.purged([row.taskId], manager);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal((await download(app, owner.accessToken, file.id)).status, 200);
    assert.equal(await exists(), true);

    await dataSource.transaction((manager) => purge.purged([row.taskId], manager));
    assert.equal((await sql(app, 'SELECT id FROM file WHERE id = ?', [row.id])).length, 0);
    const deadline = Date.now() + 5_000;
    while ((await exists()) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.equal(await exists(), false);
  });

  describe('over gRPC', () => {
    const metadata = (token: string) => {
      const result = new Metadata();
      result.set('authorization', `Bearer ${token}`);
      return result;
    };

    it('lists, gets, renames, deletes and restores with the REST rules', async () => {
      const client = fileGrpcClient(app);
      try {
        const task = await newTask();
        const file = await uploaded(task.id, Buffer.from('grpc!'), 'notes.md', member.accessToken);
        const listed = await unary<
          object,
          { items: { id: string; size: string }[]; total: number }
        >(client, 'listTaskFiles', { taskId: task.id }, metadata(owner.accessToken));
        assert.deepEqual(
          listed.items.map((item) => [item.id, item.size]),
          [[file.id, '5']],
        );
        const ofProject = await unary<object, { items: { id: string }[] }>(
          client,
          'listProjectFiles',
          { projectId, pageSize: 100 },
          metadata(member.accessToken),
        );
        assert.ok(ofProject.items.some((item) => item.id === file.id));
        const got = await unary<object, { title: string; uploader: { id: string } }>(
          client,
          'getFile',
          { id: file.id },
          metadata(owner.accessToken),
        );
        assert.equal(got.uploader.id, member.id);
        const renamed = await unary<object, { title: string }>(
          client,
          'renameFile',
          { id: file.id, title: 'minutes' },
          metadata(member.accessToken),
        );
        assert.equal(renamed.title, 'minutes.md');
        await unary(client, 'deleteFile', { id: file.id }, metadata(member.accessToken));
        const bin = await unary<object, { items: { id: string }[] }>(
          client,
          'listProjectFiles',
          { projectId, deleted: true, pageSize: 100 },
          metadata(owner.accessToken),
        );
        assert.ok(bin.items.some((item) => item.id === file.id));
        await assert.rejects(
          unary(client, 'restoreFile', { id: file.id }, metadata(member.accessToken)),
          (error: ServiceError) => error.code === status.PERMISSION_DENIED,
        );
        const restored = await unary<object, { deleted: boolean }>(
          client,
          'restoreFile',
          { id: file.id },
          metadata(owner.accessToken),
        );
        assert.equal(restored.deleted, false);
        for (const [method, request] of [
          ['getFile', { id: file.id }],
          ['listTaskFiles', { taskId: task.id }],
          ['listProjectFiles', { projectId }],
          ['deleteFile', { id: file.id }],
        ] as const) {
          await assert.rejects(
            unary(client, method, request, metadata(outsider.accessToken)),
            (error: ServiceError) => error.code === status.NOT_FOUND,
            method,
          );
        }
        await assert.rejects(
          unary(client, 'renameFile', { id: file.id, title: '' }, metadata(owner.accessToken)),
          (error: ServiceError) =>
            error.code === status.INVALID_ARGUMENT && error.metadata.get('field')[0] === 'title',
        );
      } finally {
        client.close();
      }
    });
  });
});
