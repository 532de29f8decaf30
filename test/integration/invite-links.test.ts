import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  accountOf,
  addAccount,
  organizationGrpcClients,
  personalOrganization,
  setAccountStatus,
} from '../support/organizations';
import { sql, type PageBody, type ProblemBody } from '../support/projects';

interface LinkBody {
  id: string;
  organizationId: string;
  creator: { id: string; name: string };
  expiresAt: string;
  revoked: boolean;
  joins: number;
  code: string;
}

describe('invite links', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let organizationId = '';

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    organizationId = await personalOrganization(app, owner.accessToken);
  });
  after(() => app?.close());

  const base = () => `/api/v1/organizations/${organizationId}/invite-links`;
  const create = async () => {
    const answer = await call<LinkBody>(app, 'POST', base(), { token: owner.accessToken });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body;
  };
  const byCode = (action: 'preview' | 'join', who: RegisteredMember, code: string) =>
    call<ProblemBody & Record<string, unknown>>(app, 'POST', `/api/v1/invite-links/${action}`, {
      token: who.accessToken,
      body: { code },
    });
  const organizationsOf = async (who: RegisteredMember) =>
    (
      await call<{ id: string }[]>(app, 'GET', '/api/v1/organizations', {
        token: who.accessToken,
      })
    ).body.map((organization) => organization.id);

  it('lets a logged-in member who opens the link see where it leads and join, once', async () => {
    const link = await create();
    assert.match(link.code, /^[A-Za-z0-9_-]{43}$/);
    const stored = await sql<{ codeHash: string }>(
      app,
      'SELECT codeHash FROM invite_link WHERE id = ?',
      [decodeId(link.id, 'inviteLink')],
    );
    assert.notEqual(stored[0].codeHash, link.code, 'only a hash of the code is kept');
    const listed = await call<PageBody<LinkBody>>(app, 'GET', base(), { token: owner.accessToken });
    assert.deepEqual(
      listed.body.items.map((item) => [item.id, item.code]),
      [[link.id, '']],
      'listed without its code',
    );

    const newcomer = await registerMember(app);
    const preview = await byCode('preview', newcomer, link.code);
    assert.equal(preview.status, 200);
    assert.deepEqual(
      [
        (preview.body.organization as { id: string }).id,
        (preview.body.inviter as { id: string }).id,
      ],
      [organizationId, owner.id],
    );
    assert.ok(!(await organizationsOf(newcomer)).includes(organizationId));
    const joined = await byCode('join', newcomer, link.code);
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.id, organizationId);
    assert.ok((await organizationsOf(newcomer)).includes(organizationId));
    const account = await accountOf(app, owner.accessToken, organizationId, newcomer.id);
    assert.equal(account.status, 'active');
    assert.equal((await byCode('join', newcomer, link.code)).status, 200, 'again: no change');
    const after = await call<PageBody<LinkBody>>(app, 'GET', base(), { token: owner.accessToken });
    assert.equal(after.body.items.find((item) => item.id === link.id)?.joins, 1);
  });

  it('keeps a disabled account disabled, and opens nothing once revoked or expired', async () => {
    const link = await create();
    const disabled = await registerMember(app);
    await setAccountStatus(app, await addAccount(app, organizationId, disabled.id), 'disabled');
    assert.equal((await byCode('join', disabled, link.code)).status, 200);
    const account = await accountOf(app, owner.accessToken, organizationId, disabled.id);
    assert.equal(account.status, 'disabled', 'a link does not re-enable an account');

    const outsider = await registerMember(app);
    const revoked = await call(app, 'POST', `${base()}/revoke`, {
      token: owner.accessToken,
      body: { link: link.id },
    });
    assert.equal(revoked.status, 204);
    for (const action of ['preview', 'join'] as const) {
      assert.equal((await byCode(action, outsider, link.code)).status, 404, action);
    }
    assert.ok(!(await organizationsOf(outsider)).includes(organizationId));

    const expiring = await create();
    await sql(app, 'UPDATE invite_link SET expiresAt = ? WHERE id = ?', [
      new Date(Date.now() - 1000),
      decodeId(expiring.id, 'inviteLink'),
    ]);
    const expired = await byCode('join', outsider, expiring.code);
    assert.deepEqual([expired.status, expired.body.code], [409, 'invite_link_expired']);
    const listed = await call<PageBody<LinkBody>>(app, 'GET', base(), { token: owner.accessToken });
    assert.ok(
      listed.body.items.every((item) => item.id !== link.id && item.id !== expiring.id),
      'neither is listed as usable',
    );
    const unknown = await byCode('preview', outsider, 'A'.repeat(43));
    assert.equal(unknown.status, 404);
    const malformed = await byCode('join', outsider, 'short');
    assert.deepEqual([malformed.status, malformed.body.errors?.[0].field], [400, 'code']);
  });

  it("is created and revoked by those who may invite, each organization's links its own", async () => {
    const member = await registerMember(app);
    await addAccount(app, organizationId, member.id);
    const refused = await call(app, 'POST', base(), { token: member.accessToken });
    assert.equal(refused.status, 403, 'a plain member may not invite');
    const stranger = await registerMember(app);
    const strangers = await call(app, 'POST', base(), { token: stranger.accessToken });
    assert.ok([403, 404].includes(strangers.status), String(strangers.status));

    const link = await create();
    const theirs = await personalOrganization(app, stranger.accessToken);
    const elsewhere = await call(
      app,
      'POST',
      `/api/v1/organizations/${theirs}/invite-links/revoke`,
      {
        token: stranger.accessToken,
        body: { link: link.id },
      },
    );
    assert.equal(elsewhere.status, 404, "another organization's link is not theirs to revoke");
    assert.equal((await byCode('preview', stranger, link.code)).status, 200, 'still open');
  });

  it('offers the same over gRPC', async () => {
    const { invitations } = organizationGrpcClients(app);
    const rpc = <T>(method: string, request: object, who = owner) =>
      unary<object, T>(invitations, method, request, bearer(who.accessToken));
    try {
      const link = await rpc<LinkBody>('createInviteLink', { organizationId });
      assert.match(link.code, /^[A-Za-z0-9_-]{43}$/);
      const page = await rpc<{ items: LinkBody[] }>('listInviteLinks', { organizationId });
      assert.ok(page.items.some((item) => item.id === link.id && item.code === ''));
      const newcomer = await registerMember(app);
      const preview = await rpc<{ organization: { id: string } }>(
        'previewInviteLink',
        { code: link.code },
        newcomer,
      );
      assert.equal(preview.organization.id, organizationId);
      const joined = await rpc<{ id: string }>('joinByInviteLink', { code: link.code }, newcomer);
      assert.equal(joined.id, organizationId);
      assert.ok((await organizationsOf(newcomer)).includes(organizationId));
      await rpc('revokeInviteLink', { organizationId, link: link.id });
      await assert.rejects(
        rpc('joinByInviteLink', { code: link.code }, newcomer),
        rejectsWith(status.NOT_FOUND),
      );
      await assert.rejects(
        rpc('joinByInviteLink', { code: 'x' }, newcomer),
        rejectsWith(status.INVALID_ARGUMENT, 'code'),
      );
    } finally {
      invitations.close();
    }
  });
});
