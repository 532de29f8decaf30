import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import * as grpc from '@grpc/grpc-js';
import { createS3Client } from '@/infra/storage/s3.storage';
import { startTestApp, type TestApp } from '../support/app';
import { TINY_PNG } from '../support/files';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { personalOrganization } from '../support/organizations';
import { board } from '../support/projects';
import { createTestBucket } from '../support/s3';
import { assertReads, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe("the original web client's picture uploads: description images and covers", () => {
  let app: TestApp;
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;
  let organizationCode = '';

  before(async () => {
    bucket = await createTestBucket();
    app = await startTestApp({ config: { storage: { default: 's3', s3: bucket.config } } });
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationCode = await personalOrganization(app, owner.accessToken);
  });
  after(async () => {
    await app?.close();
    await bucket?.drop();
  });

  /** A multipart upload as the page's uploader sends it: the bearer header and the organization. */
  async function upload(path: string, part: string, bytes: Buffer, who = owner) {
    const body = new FormData();
    body.append(part, new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'picture.png');
    const response = await fetch(`${app.baseUrl}/${path}`, {
      method: 'POST',
      headers: { authorization: `bearer ${who.accessToken}`, organizationCode },
      body,
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Data & { code: number; msg: string; data: unknown };
  }

  async function storedImages(): Promise<string[]> {
    const client = createS3Client(bucket.config);
    try {
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: bucket.config.bucket, Prefix: 'images/' }),
      );
      return (listed.Contents ?? []).map((entry) => entry.Key!);
    } finally {
      client.destroy();
    }
  }

  async function follow(url: string, token?: string) {
    return fetch(`${app.baseUrl}${url}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  it('uploads a description image as the editor sends it (part image[]) and answers errno 0 with its link', async () => {
    const answer = await upload('project/index/uploadImg', 'image[]', TINY_PNG);
    assert.equal(answer.code, 200, JSON.stringify(answer));
    assert.equal(answer.errno, 0);
    const [url] = answer.data as string[];
    assert.match(url, /^\/api\/v1\/images\/[A-Za-z0-9_-]+\.[0-9a-f]{32}\?member=/);
    const image = await follow(url);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await image.arrayBuffer()).equals(TINY_PNG));
    // Without its signature, the link needs the bearer header of an account there.
    const bare = url.slice(0, url.indexOf('?'));
    assert.equal((await follow(bare)).status, 401);
    assert.equal((await follow(bare, owner.accessToken)).status, 200);
    assert.equal((await follow(bare, stranger.accessToken)).status, 404);
    const forged = url.replace(/signature=[^&]+/, 'signature=AAAA');
    assert.equal((await follow(forged)).status, 401);
  });

  it("uploads a project cover; saved in the project's settings, every read shows it and it loads", async () => {
    const { project } = await board(app, owner, member);
    const answer = await upload('project/project/uploadCover', 'cover', GIF);
    assert.equal(answer.code, 200, JSON.stringify(answer));
    assertReads('project/project/uploadCover', answer.data);
    const url = (answer.data as { url: string }).url;
    await clientOk(
      app,
      'project/project/edit',
      { projectCode: project.id, cover: url },
      { token: owner.accessToken, organizationCode, only: true },
    );
    const read = await clientOk<Data>(
      app,
      'project/project/read',
      { projectCode: project.id },
      { token: member.accessToken },
    );
    assert.equal(read.cover, url);
    const rest = await call<{ cover: string }>(app, 'GET', `/api/v1/projects/${project.id}`, {
      token: member.accessToken,
    });
    assert.equal(rest.body.cover, url);
    const image = await follow(url);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/gif');
  });

  it('uploads a template cover; the saved template shows it in the list and through /api/v1', async () => {
    const answer = await upload('project/project_template/uploadCover', 'cover', TINY_PNG);
    assert.equal(answer.code, 200, JSON.stringify(answer));
    const url = (answer.data as { url: string }).url;
    const saved = await clientOk<Data>(
      app,
      'project/project_template/save',
      { name: 'Covered template', description: '', cover: url },
      { token: owner.accessToken, organizationCode },
    );
    const list = await clientOk<{ list: Data[] }>(
      app,
      'project/project_template',
      { pageSize: 100, viewType: 0 },
      { token: owner.accessToken, organizationCode, minItems: 0 },
    );
    const template = list.list.find((item) => item.name === 'Covered template');
    assert.equal(template?.cover, url, JSON.stringify(saved));
    const rest = await call<{ items: { name: string; cover: string }[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/project-templates?pageSize=100`,
      { token: owner.accessToken },
    );
    assert.equal(rest.body.items.find((item) => item.name === 'Covered template')?.cover, url);
    assert.equal((await follow(url)).status, 200);
  });

  it('refuses a file that is no picture, naming its part, and stores nothing', async () => {
    const before = await storedImages();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>');
    const cover = await upload('project/project/uploadCover', 'cover', svg);
    assert.equal(cover.code, 400);
    assert.match(cover.msg, /^cover: must be a PNG, JPEG, GIF or WebP image/);
    const editor = await upload('project/index/uploadImg', 'image[]', Buffer.from('not a picture'));
    assert.equal(editor.code, 400);
    assert.match(editor.msg, /^image\[\]: /);
    const wrongPart = await upload('project/project_template/uploadCover', 'picture', TINY_PNG);
    assert.equal(wrongPart.code, 400);
    assert.match(wrongPart.msg, /^picture: is not a known field/);
    assert.deepEqual(await storedImages(), before);
  });

  it('keeps uploads to the accounts of the organization named by the header', async () => {
    const body = new FormData();
    body.append('cover', new Blob([new Uint8Array(TINY_PNG)]), 'cover.png');
    const answer = await fetch(`${app.baseUrl}/project/project/uploadCover`, {
      method: 'POST',
      headers: { authorization: `bearer ${stranger.accessToken}`, organizationCode },
      body,
    });
    const envelope = (await answer.json()) as { code: number };
    assert.ok([403, 4041].includes(envelope.code), JSON.stringify(envelope));
  });

  it('uploads over /api/v1 and gRPC with the same rules', async () => {
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(TINY_PNG)]), 'a.png');
    const rest = await fetch(`${app.baseUrl}/api/v1/organizations/${organizationCode}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body,
    });
    assert.equal(rest.status, 201);
    const view = (await rest.json()) as { url: string; contentType: string; size: number };
    assert.deepEqual([view.contentType, view.size], ['image/png', TINY_PNG.length]);
    assert.equal((await follow(view.url)).status, 200);

    const files = grpcClient(
      app.grpcAddress,
      'file/v1/file.proto',
      'msproject.file.v1.FileService',
    );
    try {
      const image = await unary<object, { url: string; contentType: string }>(
        files,
        'UploadImage',
        { organizationId: organizationCode, image: GIF.toString('base64') },
        bearer(owner.accessToken),
      );
      assert.equal(image.contentType, 'image/gif');
      assert.equal((await follow(image.url)).status, 200);
      await assert.rejects(
        unary(
          files,
          'UploadImage',
          { organizationId: organizationCode, image: Buffer.from('nope').toString('base64') },
          bearer(owner.accessToken),
        ),
        rejectsWith(grpc.status.INVALID_ARGUMENT, 'image'),
      );
    } finally {
      files.close();
    }
  });
});
