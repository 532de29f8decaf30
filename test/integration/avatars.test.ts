import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { filesDirectory, reconfigure, startTestApp, type TestApp } from '../support/app';
import { fileGrpcClient, TINY_PNG } from '../support/files';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization } from '../support/organizations';
import { sql } from '../support/projects';

const PNG = TINY_PNG;
/** The smallest GIF. */
const GIF = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64');

interface AvatarBody {
  memberId: string;
  uploaded: boolean;
  contentType: string;
  size: number;
  url: string;
}

describe('avatars', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let colleague: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, colleague, stranger] = await Promise.all([
      registerMember(app, { name: 'Ada Lovelace' }),
      registerMember(app),
      registerMember(app),
    ]);
    await addAccount(app, await personalOrganization(app, owner.accessToken), colleague.id);
  });
  after(() => app?.close());

  const upload = (who: RegisteredMember, bytes: Buffer, name = 'me.png', type = 'image/png') => {
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(`${app.baseUrl}/api/v1/me/avatar`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${who.accessToken}` },
      body,
    });
  };
  const mine = async (who: RegisteredMember) => {
    const answer = await call<AvatarBody>(app, 'GET', '/api/v1/me/avatar', {
      token: who.accessToken,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const follow = (link: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${link}`, { headers });
  const storedKey = async (who: RegisteredMember) =>
    (
      await sql<{ storageKey: string }>(
        app,
        'SELECT storageKey FROM member_avatar WHERE memberId = (SELECT id FROM member WHERE account = ?)',
        [who.input.account],
      )
    )[0]?.storageKey;
  const exists = (key: string) =>
    stat(`${filesDirectory(app.database)}/${key}`).then(
      () => true,
      () => false,
    );

  it('gives every member their initials as an image a browser loads from the link, cached by its tag', async () => {
    const avatar = await mine(owner);
    assert.deepEqual([avatar.uploaded, avatar.contentType], [false, 'image/svg+xml']);
    assert.match(avatar.url, new RegExp(`^/api/v1/members/${owner.id}/avatar\\?.*signature=`));
    const image = await follow(avatar.url);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/svg+xml');
    assert.match(image.headers.get('cache-control') ?? '', /max-age=\d+/);
    assert.match(image.headers.get('content-security-policy') ?? '', /sandbox/);
    const svg = await image.text();
    assert.match(svg, /^<svg /);
    assert.match(svg, />AL<\/text>/, 'the initials of Ada Lovelace');
    const again = await follow(avatar.url, { 'if-none-match': image.headers.get('etag')! });
    assert.equal(again.status, 304);
    assert.equal((await mine(owner)).url, avatar.url, 'one link per period: browsers cache it');
  });

  it('stores an uploaded image, serves it to the member, to colleagues and by link, and to nobody else', async () => {
    const answer = await upload(owner, PNG);
    assert.equal(answer.status, 200, await answer.clone().text());
    const avatar = (await answer.json()) as AvatarBody;
    assert.deepEqual(
      [avatar.uploaded, avatar.contentType, avatar.size],
      [true, 'image/png', PNG.length],
    );
    const byLink = await follow(avatar.url);
    assert.equal(byLink.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await byLink.arrayBuffer()).equals(PNG));
    const path = `/api/v1/members/${owner.id}/avatar`;
    const seen = (who: RegisteredMember) =>
      fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${who.accessToken}` } });
    assert.equal((await seen(owner)).status, 200);
    assert.equal((await seen(colleague)).status, 200, 'they share an organization');
    assert.equal((await seen(stranger)).status, 404, 'a stranger learns nothing');
    assert.equal((await follow(path)).status, 401, 'no token, no link');
    const forged = avatar.url.replace(/signature=[^&]+/, 'signature=AAAA');
    assert.equal((await follow(forged)).status, 401);
    const otherMember = avatar.url.replace(owner.id, colleague.id);
    assert.equal((await follow(otherMember)).status, 401, 'a link opens its own member only');
  });

  it('refuses what is not a PNG, JPEG, GIF or WebP by its bytes, and what is too large, changing nothing', async () => {
    assert.equal((await upload(owner, PNG)).status, 200);
    const before = await storedKey(owner);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    for (const [bytes, name, type] of [
      [Buffer.from('just text'), 'me.png', 'image/png'],
      [svg, 'me.svg', 'image/svg+xml'],
      [Buffer.alloc(0), 'me.png', 'image/png'],
    ] as const) {
      const refused = await upload(owner, bytes, name, type);
      assert.equal(refused.status, 400, name);
      const problem = (await refused.json()) as { errors: { field: string }[] };
      assert.equal(problem.errors[0].field, 'file');
    }
    await reconfigure(app, { avatars: { maxBytes: 1024 } });
    try {
      const large = Buffer.concat([PNG, Buffer.alloc(2048)]);
      const refused = await upload(owner, large);
      assert.equal(refused.status, 413);
    } finally {
      await reconfigure(app, { avatars: { maxBytes: 2 * 1024 * 1024 } });
    }
    assert.equal(await storedKey(owner), before, 'the avatar is the one before');
    assert.ok(before && (await exists(before)));
  });

  it('deletes the bytes an upload replaces and those of a removed avatar; an upload clears a set link', async () => {
    const patched = await call(app, 'PATCH', '/api/v1/me', {
      token: colleague.accessToken,
      body: { avatar: 'https://cdn.example.test/me.png' },
    });
    assert.equal(patched.status, 200);
    assert.equal((await upload(colleague, PNG)).status, 200);
    const first = await storedKey(colleague);
    const me = await call<{ avatar: string | null }>(app, 'GET', '/api/v1/me', {
      token: colleague.accessToken,
    });
    assert.equal(me.body.avatar, null, 'the upload shows, not the link set before');
    const second = await upload(colleague, GIF, 'me.gif', 'image/gif');
    assert.equal(((await second.json()) as AvatarBody).contentType, 'image/gif');
    const replacing = await storedKey(colleague);
    assert.ok(first && replacing && replacing !== first);
    assert.equal(await exists(first), false, 'the replaced image is deleted');
    const removed = await call<AvatarBody>(app, 'DELETE', '/api/v1/me/avatar', {
      token: colleague.accessToken,
    });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.uploaded, false);
    assert.equal(await storedKey(colleague), undefined);
    assert.equal(await exists(replacing), false);
    const initials = await follow(removed.body.url);
    assert.equal(initials.headers.get('content-type'), 'image/svg+xml');
  });

  it('offers the same over gRPC', async () => {
    const client = fileGrpcClient(app);
    const rpc = <T>(method: string, request: object) =>
      unary<object, T>(client, method, request, bearer(stranger.accessToken));
    try {
      const set = await rpc<AvatarBody>('setAvatar', { image: PNG.toString('base64') });
      assert.deepEqual([set.uploaded, set.contentType, set.size], [true, 'image/png', PNG.length]);
      const image = await follow(set.url);
      assert.ok(Buffer.from(await image.arrayBuffer()).equals(PNG));
      assert.equal((await rpc<AvatarBody>('getAvatar', {})).uploaded, true);
      await assert.rejects(
        rpc('setAvatar', { image: Buffer.from('GIF8 but not quite').toString('base64') }),
        rejectsWith(status.INVALID_ARGUMENT, 'image'),
      );
      await assert.rejects(rpc('setAvatar', {}), rejectsWith(status.INVALID_ARGUMENT, 'image'));
      assert.equal((await rpc<AvatarBody>('removeAvatar', {})).uploaded, false);
      assert.equal(await storedKey(stranger), undefined);
    } finally {
      client.close();
    }
  });
});
