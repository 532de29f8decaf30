// First: the SDK must be in place before the application's modules load (spans are checked).
import { allAttributeText, finishedSpans, waitForTrace } from '../support/telemetry';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { DOWNLOAD_LINK } from '@/modules/file/dto/file.views';
import { SignedLinks } from '@/modules/user/auth/signed-links';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { createTask, fileGrpcClient, patternedBytes, uploadFile } from '../support/files';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board } from '../support/projects';

interface LinkBody {
  url: string;
  expiresAt: string;
}

describe('signed download links', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;
  let projectId: string;
  let stageId: string;
  const bytes = patternedBytes(3000);

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

  async function newFile(name = 'plan.bin'): Promise<string> {
    const task = await createTask(app, owner.accessToken, projectId, stageId);
    const uploaded = await uploadFile(app, owner.accessToken, task.id, bytes, name);
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    return uploaded.body.id;
  }

  async function linkOf(fileId: string, token: string) {
    return call<LinkBody>(app, 'POST', `/api/v1/files/${fileId}/download-link`, { token });
  }

  /** Followed as a browser does: no authorization header. */
  async function follow(url: string) {
    const response = await fetch(`${app.baseUrl}${url}`);
    return {
      status: response.status,
      bytes: Buffer.from(await response.arrayBuffer()),
      traceId: response.headers.get('x-trace-id') ?? '',
    };
  }

  /** The link's URL with one query parameter replaced. */
  function withParameter(url: string, name: string, value: string): string {
    const parsed = new URL(url, 'http://link');
    parsed.searchParams.set(name, value);
    return `${parsed.pathname}${parsed.search}`;
  }

  it('opens the file without the bearer header, for the member who asked, until its expiry', async () => {
    const fileId = await newFile();
    const before = Date.now();
    const link = await linkOf(fileId, member.accessToken);
    assert.equal(link.status, 200, JSON.stringify(link.body));
    assert.ok(link.body.url.startsWith(`/api/v1/files/${fileId}/content?`));
    const ttl = new Date(link.body.expiresAt).getTime() - before;
    assert.ok(ttl > 290_000 && ttl <= 301_000, `the default five minutes, not ${ttl} ms`);
    const followed = await follow(link.body.url);
    assert.equal(followed.status, 200);
    assert.ok(followed.bytes.equals(bytes));

    const links = app.app.get(SignedLinks);
    const expired = links.sign(DOWNLOAD_LINK, fileId, decodeId(member.id, 'member'), -1);
    assert.equal((await follow(`/api/v1/files/${fileId}/content?${expired.query}`)).status, 401);
    const fresh = links.sign(DOWNLOAD_LINK, fileId, decodeId(member.id, 'member'), 60);
    assert.equal((await follow(`/api/v1/files/${fileId}/content?${fresh.query}`)).status, 200);
  });

  it('opens only the file it was made for, unaltered, and only its bytes', async () => {
    const [fileId, otherId] = [await newFile(), await newFile('other.bin')];
    const { url } = (await linkOf(fileId, member.accessToken)).body;
    const query = url.slice(url.indexOf('?'));
    assert.equal((await follow(`/api/v1/files/${otherId}/content${query}`)).status, 401);
    assert.equal((await follow(withParameter(url, 'member', owner.id))).status, 401);
    const expires = new URL(url, 'http://link').searchParams.get('expires')!;
    assert.equal(
      (await follow(withParameter(url, 'expires', String(Number(expires) + 3600)))).status,
      401,
    );
    const signature = new URL(url, 'http://link').searchParams.get('signature')!;
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    assert.equal((await follow(withParameter(url, 'signature', flipped))).status, 401);
    // The file's metadata route takes no link.
    assert.equal((await follow(`/api/v1/files/${fileId}${query}`)).status, 401);
    assert.equal((await follow(url)).status, 200, 'the untouched link still works');
  });

  it('is not found once the file is deleted or the member has lost access, and never made for an outsider', async () => {
    const deletedId = await newFile();
    const deletedLink = (await linkOf(deletedId, member.accessToken)).body.url;
    const deleted = await call(app, 'DELETE', `/api/v1/files/${deletedId}`, {
      token: owner.accessToken,
    });
    assert.equal(deleted.status, 204);
    assert.equal((await follow(deletedLink)).status, 404);

    const fileId = await newFile();
    const kept = (await linkOf(fileId, member.accessToken)).body.url;
    const ownerLink = (await linkOf(fileId, owner.accessToken)).body.url;
    const removed = await call(
      app,
      'DELETE',
      `/api/v1/projects/${projectId}/members/${member.id}`,
      {
        token: owner.accessToken,
      },
    );
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    assert.equal((await follow(kept)).status, 404, 'no longer a member of the project');
    assert.equal((await follow(ownerLink)).status, 200);
    assert.equal((await linkOf(fileId, outsider.accessToken)).status, 404);

    const added = await call(app, 'POST', `/api/v1/projects/${projectId}/members`, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    assert.equal(added.status, 201);
  });

  it('is made over gRPC as over REST', async () => {
    const fileId = await newFile();
    const client = fileGrpcClient(app);
    try {
      const link = await unary<{ id: string }, LinkBody>(
        client,
        'CreateDownloadLink',
        { id: fileId },
        bearer(member.accessToken),
      );
      assert.ok(link.url.startsWith(`/api/v1/files/${fileId}/content?`));
      assert.ok(new Date(link.expiresAt).getTime() > Date.now());
      const followed = await follow(link.url);
      assert.equal(followed.status, 200);
      assert.ok(followed.bytes.equals(bytes));
      await assert.rejects(
        unary(client, 'CreateDownloadLink', { id: fileId }, bearer(outsider.accessToken)),
        rejectsWith(status.NOT_FOUND),
      );
    } finally {
      client.close();
    }
  });

  it('lasts attachments.downloadLinkTtlSeconds, changed live', async () => {
    const fileId = await newFile();
    await reconfigure(app, { attachments: { downloadLinkTtlSeconds: 60 } });
    try {
      const before = Date.now();
      const link = await linkOf(fileId, member.accessToken);
      const ttl = new Date(link.body.expiresAt).getTime() - before;
      assert.ok(ttl > 55_000 && ttl <= 61_000, `one minute, not ${ttl} ms`);
    } finally {
      await reconfigure(app, { attachments: { downloadLinkTtlSeconds: 300 } });
    }
  });

  it('keeps the signature out of the request log and every span', async () => {
    const fileId = await newFile();
    const { url } = (await linkOf(fileId, member.accessToken)).body;
    const signature = new URL(url, 'http://link').searchParams.get('signature')!;
    const followed = await follow(url);
    assert.equal(followed.status, 200);
    const spans = await waitForTrace(followed.traceId, (trace) =>
      trace.some((span) => span.name === 'GET /api/v1/files/:id/content'),
    );
    const line = await app.logs.waitFor(
      (entry) =>
        entry.msg === 'request completed' &&
        (entry.req as { url?: string } | undefined)?.url === `/api/v1/files/${fileId}/content`,
    );
    const query = (line.req as { query: Record<string, string> }).query;
    assert.equal(query.signature, '[redacted]');
    assert.equal(query.member, member.id, 'the rest of the query is logged');
    assert.ok(!app.logs.text.includes(signature), 'the signature reached a log line');
    assert.ok(
      !allAttributeText(finishedSpans()).includes(signature),
      'the signature reached a span',
    );
    assert.ok(
      allAttributeText(spans).includes(`/api/v1/files/${fileId}/content`),
      'the check looks at the download spans',
    );
  });
});
