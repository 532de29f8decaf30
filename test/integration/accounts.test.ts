import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { InvitationDelivery } from '@/modules/organization/invitation-delivery';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call, type JsonResponse } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  accountOf,
  createDepartment,
  invitationInto,
  invite,
  giveRole,
  joinOrganization,
  myInvitations,
  organizationGrpcClients,
  personalOrganization,
  type AccountBody,
  type InvitationBody,
} from '../support/organizations';
import {
  createProject,
  holdTable,
  sql,
  systemTemplate,
  waitForBlocked,
  type PageBody,
  type ProblemBody,
} from '../support/projects';
import { SECOND_REDIS_PORT, secondRedis } from '../support/redis-second';

/** A success body, or the problem's code and errors when the answer is a refusal. */
type OrProblem<T> = T & Partial<Pick<ProblemBody, 'code' | 'errors'>>;

const DEFAULT_LIMITS = { perInviterPerHour: 20, perOrganizationPerHour: 100 };

/** Fails when `work` is still pending after `ms`: for answers that must not wait on a lock. */
async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a client can tell apart in an answer: status, headers other than date, and body. */
function observable(response: JsonResponse) {
  const headers = [...response.headers.entries()]
    .filter(([name]) => name !== 'date')
    .map(([name, value]) =>
      name === 'traceparent' || name === 'x-trace-id' ? name : `${name}: ${value}`,
    )
    .sort();
  return { status: response.status, headers, body: response.body };
}

describe('accounts and invitations of an organization', () => {
  let app: TestApp;
  let grpc: ReturnType<typeof organizationGrpcClients>;

  before(async () => {
    app = await startTestApp();
    grpc = organizationGrpcClients(app);
  });

  after(async () => {
    for (const client of Object.values<Client>(grpc ?? {})) client.close();
    await app?.close();
  });

  /** A registered member with their personal organization. */
  async function organizationOwner(): Promise<{ owner: RegisteredMember; organizationId: string }> {
    const owner = await registerMember(app);
    return { owner, organizationId: await personalOrganization(app, owner.accessToken) };
  }

  const inviteRaw = (token: string, organizationId: string, address: string) =>
    call<Record<string, unknown>>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/invitations`,
      { token, body: { address } },
    );
  /** Every invitation delivery started so far has finished. */
  const delivered = () => app.app.get(InvitationDelivery).settled();
  const invitationsInto = async (organizationId: string) =>
    sql<{ inviteeId: number; status: string }>(
      app,
      'SELECT inviteeId, status FROM invitation WHERE organizationId = ? ORDER BY id',
      [decodeId(organizationId, 'organization')],
    );
  const accounts = (token: string, organizationId: string, query = '') =>
    call<OrProblem<PageBody<AccountBody>>>(
      app,
      'GET',
      `/api/v1/organizations/${organizationId}/accounts${query}`,
      { token },
    );
  const organizationsOf = async (token: string) =>
    (await call<{ id: string }[]>(app, 'GET', '/api/v1/organizations', { token })).body.map(
      (organization) => organization.id,
    );
  const accountAction = (
    token: string,
    organizationId: string,
    accountId: string,
    action: string,
  ) =>
    call<OrProblem<AccountBody>>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/accounts/${accountId}/${action}`,
      { token },
    );

  it('gives a new member’s personal organization one account: theirs, as owner, enabled', async () => {
    const { owner, organizationId } = await organizationOwner();
    const listed = await accounts(owner.accessToken, organizationId);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.total, 1);
    const [account] = listed.body.items;
    assert.equal(account.member.id, owner.id);
    assert.equal(account.owner, true);
    assert.equal(account.status, 'active');
    assert.equal(account.organizationId, organizationId);
  });

  it('invites an existing member by account name, email or mobile, each with an invited notification', async () => {
    const { owner, organizationId } = await organizationOwner();
    const [byAccount, byEmail, byMobile] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    await invite(app, owner.accessToken, organizationId, byAccount.input.account);
    await invite(app, owner.accessToken, organizationId, byEmail.input.email.toUpperCase());
    await invite(app, owner.accessToken, organizationId, byMobile.input.mobile);
    for (const invitee of [byAccount, byEmail, byMobile]) {
      const invitation = await invitationInto(app, invitee.accessToken, organizationId);
      assert.equal(invitation.inviter.id, owner.id);
      assert.equal(invitation.status, 'pending');
      assert.ok(new Date(invitation.expiresAt) > new Date());
      const notifications = await sql<{ kind: string; invitationId: number; actorId: number }>(
        app,
        'SELECT kind, invitationId, actorId FROM notification WHERE memberId = ?',
        [decodeId(invitee.id, 'member')],
      );
      assert.deepEqual(notifications, [
        {
          kind: 'invited',
          invitationId: decodeId(invitation.id, 'invitation'),
          actorId: decodeId(owner.id, 'member'),
        },
      ]);
    }
  });

  it('answers every address alike, and invites only a member who is not in and not yet invited', async () => {
    const { owner, organizationId } = await organizationOwner();
    const [invitee, alreadyIn] = [await registerMember(app), await registerMember(app)];
    await joinOrganization(app, owner, organizationId, alreadyIn);
    const before = (await invitationsInto(organizationId)).length;
    const addresses = [
      invitee.input.account,
      'nobody_by_this_name',
      'nobody@example.test',
      '+8613900000000',
      alreadyIn.input.email,
      owner.input.mobile,
      invitee.input.email, // already invited by now
    ];
    const answers = [];
    for (const address of addresses) {
      answers.push(observable(await inviteRaw(owner.accessToken, organizationId, address)));
    }
    assert.equal(answers[0].status, 202);
    assert.deepEqual(answers[0].body, { status: 'requested' });
    for (const [index, answer] of answers.entries()) {
      assert.deepEqual(answer, answers[0], addresses[index]);
    }
    await delivered();
    const created = (await invitationsInto(organizationId)).slice(before);
    assert.deepEqual(created, [{ inviteeId: decodeId(invitee.id, 'member'), status: 'pending' }]);
    assert.equal((await myInvitations(app, alreadyIn.accessToken)).length, 0);
  });

  it('answers before it looks the address up: with the member table locked, known and unknown both get 202', async () => {
    const { owner, organizationId } = await organizationOwner();
    const invitee = await registerMember(app);
    const lock = await holdTable(app, 'member');
    try {
      const [known, unknown] = await within(
        5_000,
        Promise.all([
          inviteRaw(owner.accessToken, organizationId, invitee.input.account),
          inviteRaw(owner.accessToken, organizationId, 'nobody_while_locked'),
        ]),
        'invitations while the member table is locked',
      );
      assert.deepEqual(observable(known), observable(unknown));
      assert.equal(known.status, 202);
      // The lookups happen after the answers: they are the ones waiting for the table.
      await waitForBlocked(app, { onTable: 1 });
    } finally {
      await lock.release();
    }
    await delivered();
    assert.equal(
      (await invitationInto(app, invitee.accessToken, organizationId)).status,
      'pending',
    );
  });

  it('limits invitations per inviter and per organization: 429 with Retry-After, counted alike for every address', async () => {
    const { owner, organizationId } = await organizationOwner();
    const [known, refusedKnown] = [await registerMember(app), await registerMember(app)];
    try {
      await reconfigure(app, {
        organization: { invitations: { ...DEFAULT_LIMITS, perInviterPerHour: 3 } },
      });
      for (const address of ['nobody_one', known.input.account, 'nobody_two']) {
        assert.equal((await inviteRaw(owner.accessToken, organizationId, address)).status, 202);
      }
      const overKnown = await inviteRaw(
        owner.accessToken,
        organizationId,
        refusedKnown.input.account,
      );
      const overUnknown = await inviteRaw(owner.accessToken, organizationId, 'nobody_three');
      assert.equal(overKnown.status, 429);
      assert.equal(overKnown.body.code, 'rate_limited');
      const retryAfter = Number(overKnown.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      assert.deepEqual(
        { ...observable(overUnknown), headers: undefined },
        { ...observable(overKnown), headers: undefined },
      );
      await delivered();
      assert.deepEqual(await myInvitations(app, refusedKnown.accessToken), []);
      assert.equal(
        (await invitationInto(app, known.accessToken, organizationId)).status,
        'pending',
      );

      // Per organization: two inviters of one organization share its count.
      const second = await organizationOwner();
      const colleague = await registerMember(app);
      await reconfigure(app, { organization: { invitations: DEFAULT_LIMITS } });
      const colleagueAccount = await joinOrganization(
        app,
        second.owner,
        second.organizationId,
        colleague,
      );
      await giveRole(
        app,
        second.owner.accessToken,
        second.organizationId,
        colleagueAccount.id,
        'admin',
      );
      await reconfigure(app, {
        organization: { invitations: { ...DEFAULT_LIMITS, perOrganizationPerHour: 3 } },
      });
      const into = (who: RegisteredMember, address: string) =>
        inviteRaw(who.accessToken, second.organizationId, address);
      assert.equal((await into(second.owner, 'nobody_four')).status, 202);
      assert.equal((await into(colleague, 'nobody_five')).status, 202);
      const full = await into(colleague, refusedKnown.input.account);
      assert.equal(full.status, 429);
      assert.ok(Number(full.headers.get('retry-after')) > 0);
      assert.equal((await into(second.owner, 'nobody_six')).status, 429);
      // The colleague's own organization has its own count.
      const theirs = await personalOrganization(app, colleague.accessToken);
      assert.equal((await inviteRaw(colleague.accessToken, theirs, 'nobody_seven')).status, 202);
    } finally {
      await reconfigure(app, { organization: { invitations: DEFAULT_LIMITS } });
    }
  });

  it('refuses invitations while Redis is down (503), never letting them through unlimited', async () => {
    await secondRedis('start');
    const other = await startTestApp({ config: { redis: { port: SECOND_REDIS_PORT } } });
    try {
      const [inviter, invitee] = [await registerMember(other), await registerMember(other)];
      const organizationId = await personalOrganization(other, inviter.accessToken);
      await secondRedis('stop');
      let refused: JsonResponse<ProblemBody>;
      try {
        refused = await call<ProblemBody>(
          other,
          'POST',
          `/api/v1/organizations/${organizationId}/invitations`,
          { token: inviter.accessToken, body: { address: invitee.input.account } },
        );
      } finally {
        await secondRedis('start');
      }
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, 'unavailable');
      assert.ok(refused.headers.get('retry-after'));
      await other.app.get(InvitationDelivery).settled();
      assert.deepEqual(await myInvitations(other, invitee.accessToken), []);
    } finally {
      await other.close();
    }
  });

  it('accepting joins the organization with its default role, enabled, and lists it for the invitee', async () => {
    const { owner, organizationId } = await organizationOwner();
    const organization = decodeId(organizationId, 'organization');
    await sql(app, 'UPDATE org_role SET isDefault = 0 WHERE organizationId = ?', [organization]);
    await sql(
      app,
      "INSERT INTO org_role (organizationId, name, kind, isDefault) VALUES (?, 'Newcomers', 'custom', 1)",
      [organization],
    );
    const invitee = await registerMember(app);
    await invite(app, owner.accessToken, organizationId, invitee.input.account);
    const invitation = await invitationInto(app, invitee.accessToken, organizationId);
    const accepted = await call<InvitationBody>(
      app,
      'POST',
      `/api/v1/invitations/${invitation.id}/accept`,
      { token: invitee.accessToken },
    );
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.status, 'accepted');
    assert.equal(accepted.body.organization.id, organizationId);

    const account = await accountOf(app, owner.accessToken, organizationId, invitee.id);
    assert.equal(account.role?.name, 'Newcomers');
    assert.equal(account.status, 'active');
    assert.equal(account.owner, false);
    assert.ok((await organizationsOf(invitee.accessToken)).includes(organizationId));
    assert.deepEqual(await myInvitations(app, invitee.accessToken), []);

    const again = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/invitations/${invitation.id}/accept`,
      {
        token: invitee.accessToken,
      },
    );
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'invitation_answered');
  });

  it('declining leaves the invitee out, and the invitation cannot be answered again', async () => {
    const { owner, organizationId } = await organizationOwner();
    const invitee = await registerMember(app);
    await invite(app, owner.accessToken, organizationId, invitee.input.account);
    const invitation = await invitationInto(app, invitee.accessToken, organizationId);
    const declined = await call<InvitationBody>(
      app,
      'POST',
      `/api/v1/invitations/${invitation.id}/decline`,
      { token: invitee.accessToken },
    );
    assert.equal(declined.status, 200);
    assert.equal(declined.body.status, 'declined');
    assert.deepEqual(await myInvitations(app, invitee.accessToken), []);
    assert.ok(!(await organizationsOf(invitee.accessToken)).includes(organizationId));
    assert.equal((await accounts(owner.accessToken, organizationId)).body.total, 1);
    const accept = await call(app, 'POST', `/api/v1/invitations/${invitation.id}/accept`, {
      token: invitee.accessToken,
    });
    assert.equal(accept.status, 409);
  });

  it('treats someone else’s invitation as unknown (404), to its inviter too, changing nothing', async () => {
    const { owner, organizationId } = await organizationOwner();
    const [invitee, other] = [await registerMember(app), await registerMember(app)];
    await invite(app, owner.accessToken, organizationId, invitee.input.account);
    const invitation = await invitationInto(app, invitee.accessToken, organizationId);
    for (const who of [owner, other]) {
      for (const action of ['accept', 'decline']) {
        const response = await call<ProblemBody>(
          app,
          'POST',
          `/api/v1/invitations/${invitation.id}/${action}`,
          { token: who.accessToken },
        );
        assert.equal(response.status, 404, action);
      }
      assert.deepEqual(await myInvitations(app, who.accessToken), []);
    }
    assert.equal(
      (await invitationInto(app, invitee.accessToken, organizationId)).status,
      'pending',
    );
    assert.ok(!(await organizationsOf(other.accessToken)).includes(organizationId));
  });

  it('lets an expired invitation go: out of the list, 409 to accept, and a new one can be sent', async () => {
    const { owner, organizationId } = await organizationOwner();
    const invitee = await registerMember(app);
    await invite(app, owner.accessToken, organizationId, invitee.input.account);
    const invitation = await invitationInto(app, invitee.accessToken, organizationId);
    await sql(app, "UPDATE invitation SET expiresAt = '2000-01-01 00:00:00' WHERE id = ?", [
      decodeId(invitation.id, 'invitation'),
    ]);
    assert.deepEqual(await myInvitations(app, invitee.accessToken), []);
    const late = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/invitations/${invitation.id}/accept`,
      {
        token: invitee.accessToken,
      },
    );
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'invitation_expired');
    assert.deepEqual(
      (await invitationsInto(organizationId)).map((row) => row.status),
      ['expired'],
    );
    await invite(app, owner.accessToken, organizationId, invitee.input.account);
    const renewed = await invitationInto(app, invitee.accessToken, organizationId);
    assert.notEqual(renewed.id, invitation.id);
  });

  it('lists accounts paged, by status and by department, and reads one', async () => {
    const { owner, organizationId } = await organizationOwner();
    const [first, second] = [await registerMember(app), await registerMember(app)];
    const firstAccount = await joinOrganization(app, owner, organizationId, first);
    const secondAccount = await joinOrganization(app, owner, organizationId, second);
    const department = await createDepartment(app, owner.accessToken, organizationId, 'Sales');
    await call(
      app,
      'PATCH',
      `/api/v1/organizations/${organizationId}/accounts/${firstAccount.id}`,
      {
        token: owner.accessToken,
        body: { departmentId: department.id },
      },
    );
    await accountAction(owner.accessToken, organizationId, secondAccount.id, 'disable');
    const ids = async (query: string) =>
      (await accounts(owner.accessToken, organizationId, query)).body.items.map((item) => item.id);

    assert.equal((await ids('')).length, 3);
    assert.deepEqual((await ids('?status=disabled')).sort(), [secondAccount.id]);
    assert.ok(!(await ids('?status=active')).includes(secondAccount.id));
    assert.deepEqual(await ids(`?departmentId=${department.id}`), [firstAccount.id]);
    const page = await accounts(owner.accessToken, organizationId, '?page=2&pageSize=2');
    assert.equal(page.body.total, 3);
    assert.equal(page.body.items.length, 1);

    const one = await call<AccountBody>(
      app,
      'GET',
      `/api/v1/organizations/${organizationId}/accounts/${firstAccount.id}`,
      { token: owner.accessToken },
    );
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.department, { id: department.id, name: 'Sales' });
    assert.equal(one.body.member.id, first.id);
    assert.equal('email' in one.body.member, false);

    for (const [query, field] of [
      ['?status=gone', 'status'],
      ['?departmentId=nope', 'departmentId'],
      ['?pageSize=1000', 'pageSize'],
    ]) {
      const refused = await accounts(owner.accessToken, organizationId, query);
      assert.equal(refused.status, 400, query);
      assert.equal(refused.body.errors?.[0].field, field, query);
    }
    const stranger = await registerMember(app);
    assert.equal((await accounts(stranger.accessToken, organizationId)).status, 404);
  });

  it("finds one member's account by memberId, over REST and gRPC, and none for a member without one", async () => {
    const { owner, organizationId } = await organizationOwner();
    const [inside, outside] = [await registerMember(app), await registerMember(app)];
    const account = await joinOrganization(app, owner, organizationId, inside);
    const found = await accounts(owner.accessToken, organizationId, `?memberId=${inside.id}`);
    assert.deepEqual(
      [found.body.total, found.body.items.map((item) => item.id)],
      [1, [account.id]],
    );
    const none = await accounts(owner.accessToken, organizationId, `?memberId=${outside.id}`);
    assert.deepEqual([none.body.total, none.body.items], [0, []]);
    const refused = await accounts(owner.accessToken, organizationId, '?memberId=nope');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors?.[0].field, 'memberId');

    const overGrpc = await unary<object, { items: { id: string }[]; total: number }>(
      grpc.accounts,
      'ListAccounts',
      { organizationId, memberId: inside.id },
      bearer(owner.accessToken),
    );
    assert.deepEqual([overGrpc.total, overGrpc.items.map((item) => item.id)], [1, [account.id]]);
  });

  it("sets an account's card in the organization (name, email unique in it, mobile, description), never the member's own details", async () => {
    const { owner, organizationId } = await organizationOwner();
    const [first, second] = [await registerMember(app), await registerMember(app)];
    const firstAccount = await joinOrganization(app, owner, organizationId, first);
    const secondAccount = await joinOrganization(app, owner, organizationId, second);
    const patch = (accountId: string, body: unknown, token = owner.accessToken) =>
      call<OrProblem<AccountBody & Record<string, unknown>>>(
        app,
        'PATCH',
        `/api/v1/organizations/${organizationId}/accounts/${accountId}`,
        { token, body },
      );
    const card = {
      name: 'Ada at work',
      email: 'ada.work@example.test',
      mobile: '+8613800138000',
      description: 'Runs the night shift',
    };
    const edited = await patch(firstAccount.id, card);
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(
      [edited.body.name, edited.body.email, edited.body.mobile, edited.body.description],
      Object.values(card),
    );
    const me = await call<{ name: string; email: string; mobile: string }>(
      app,
      'GET',
      '/api/v1/me',
      {
        token: first.accessToken,
      },
    );
    assert.deepEqual(
      [me.body.name, me.body.email, me.body.mobile],
      [first.input.name, first.input.email, first.input.mobile],
      "the member's own details stay",
    );

    const taken = await patch(secondAccount.id, { email: 'ADA.WORK@example.test' });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(taken.body.errors?.[0].field, 'email');
    for (const [body, field] of [
      [{ email: 'not an email' }, 'email'],
      [{ mobile: '12ab' }, 'mobile'],
      [{ name: ' ' }, 'name'],
      [{ description: 'x'.repeat(501) }, 'description'],
    ] as const) {
      const refused = await patch(secondAccount.id, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.errors?.[0].field, field);
    }
    const unchanged = await call<AccountBody & { email: string | null }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationId}/accounts/${secondAccount.id}`,
      { token: owner.accessToken },
    );
    assert.equal(unchanged.body.email, null);
    assert.equal((await patch(firstAccount.id, { name: 'x' }, second.accessToken)).status, 403);

    const cleared = await unary<object, { name: string; email: string }>(
      grpc.accounts,
      'UpdateAccount',
      { organizationId, accountId: firstAccount.id, email: '', name: 'Ada' },
      bearer(owner.accessToken),
    );
    assert.deepEqual([cleared.name, cleared.email], ['Ada', '']);
    await assert.rejects(
      unary(
        grpc.accounts,
        'UpdateAccount',
        { organizationId, accountId: secondAccount.id, email: 'not an email' },
        bearer(owner.accessToken),
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'email'),
    );
    const reused = await patch(secondAccount.id, { email: card.email });
    assert.equal(reused.status, 200, 'free again once cleared');
  });

  it('lists the accounts in no department, and finds accounts by part of a name or account name, or by a whole email', async () => {
    const { owner, organizationId } = await organizationOwner();
    const tag = Math.random().toString(36).slice(2, 8);
    const placed = await registerMember(app, { name: `Placed 5%_${tag}` });
    const loose = await registerMember(app, { name: `Loose 5xx${tag}` });
    const placedAccount = await joinOrganization(app, owner, organizationId, placed);
    const looseAccount = await joinOrganization(app, owner, organizationId, loose);
    const ownerAccount = await accountOf(app, owner.accessToken, organizationId, owner.id);
    const department = await createDepartment(app, owner.accessToken, organizationId, 'Ops');
    const moved = await call(
      app,
      'PATCH',
      `/api/v1/organizations/${organizationId}/accounts/${placedAccount.id}`,
      { token: owner.accessToken, body: { departmentId: department.id } },
    );
    assert.equal(moved.status, 200);
    const ids = async (query: string) => {
      const listed = await accounts(owner.accessToken, organizationId, query);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      return listed.body.items.map((item) => item.id).sort();
    };

    assert.deepEqual(await ids('?noDepartment=true'), [ownerAccount.id, looseAccount.id].sort());
    assert.deepEqual(await ids(`?keyword=${tag}`), [looseAccount.id, placedAccount.id].sort());
    assert.deepEqual(await ids(`?keyword=${encodeURIComponent(`5%_${tag}`)}`), [placedAccount.id]);
    assert.deepEqual(await ids(`?keyword=${encodeURIComponent(`5__${tag}`)}`), [], 'no wildcards');
    assert.deepEqual(await ids(`?keyword=${loose.input.account.toUpperCase()}`), [looseAccount.id]);
    assert.deepEqual(await ids(`?keyword=${placed.input.email}`), [placedAccount.id]);
    const [local, domain] = placed.input.email.split('@');
    assert.deepEqual(
      await ids(`?keyword=${encodeURIComponent(`@${domain}`)}`),
      [],
      'no email part',
    );
    assert.deepEqual(await ids(`?keyword=${local.slice(0, 4)}@`), [], 'nor its local part');
    assert.deepEqual(await ids(`?keyword=${tag}&noDepartment=true`), [looseAccount.id]);
    const both = await accounts(
      owner.accessToken,
      organizationId,
      `?noDepartment=true&departmentId=${department.id}`,
    );
    assert.equal(both.status, 400);
    assert.equal(both.body.errors?.[0].field, 'noDepartment');
    const long = await accounts(owner.accessToken, organizationId, `?keyword=${'k'.repeat(51)}`);
    assert.equal(long.body.errors?.[0].field, 'keyword');

    const listed = await unary<object, PageBody<AccountBody>>(
      grpc.accounts,
      'ListAccounts',
      { organizationId, noDepartment: true, keyword: tag },
      bearer(owner.accessToken),
    );
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [looseAccount.id],
    );
    await assert.rejects(
      unary(
        grpc.accounts,
        'ListAccounts',
        { organizationId, noDepartment: true, departmentId: department.id },
        bearer(owner.accessToken),
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'noDepartment'),
    );
  });

  it('edits an account’s department and position, and refuses another organization’s department', async () => {
    const { owner, organizationId } = await organizationOwner();
    const member = await registerMember(app);
    const account = await joinOrganization(app, owner, organizationId, member);
    const department = await createDepartment(app, owner.accessToken, organizationId, 'Ops');
    const path = `/api/v1/organizations/${organizationId}/accounts/${account.id}`;
    const edit = (body: unknown) =>
      call<OrProblem<AccountBody>>(app, 'PATCH', path, { token: owner.accessToken, body });

    const edited = await edit({ departmentId: department.id, position: 'Engineer' });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.position, 'Engineer');
    assert.equal(edited.body.department?.id, department.id);
    const cleared = await edit({ position: null });
    assert.equal(cleared.body.position, null);
    assert.equal(cleared.body.department?.id, department.id);
    assert.equal((await edit({ departmentId: null })).body.department, null);

    const elsewhere = await organizationOwner();
    const foreign = await createDepartment(
      app,
      elsewhere.owner.accessToken,
      elsewhere.organizationId,
      'Foreign',
    );
    const refused = await edit({ departmentId: foreign.id, position: 'Spy' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors?.[0].field, 'departmentId');
    assert.equal((await edit({})).status, 400);
    assert.equal((await edit({ position: 'x'.repeat(51) })).body.errors?.[0].field, 'position');
    const unchanged = await accountOf(app, owner.accessToken, organizationId, member.id);
    assert.equal(unchanged.position, null);
  });

  it('takes a disabled account’s organization out of the member’s list and refuses their requests there, until enabled', async () => {
    const { owner, organizationId } = await organizationOwner();
    const member = await registerMember(app);
    const account = await joinOrganization(app, owner, organizationId, member);
    assert.ok((await organizationsOf(member.accessToken)).includes(organizationId));
    assert.equal((await accounts(member.accessToken, organizationId)).status, 200);

    const disabled = await accountAction(owner.accessToken, organizationId, account.id, 'disable');
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.status, 'disabled');

    assert.ok(!(await organizationsOf(member.accessToken)).includes(organizationId));
    const login = await call<{ organizations: { id: string }[] }>(
      app,
      'POST',
      '/api/v1/auth/login',
      {
        body: { account: member.input.account, password: member.input.password },
      },
    );
    assert.ok(!login.body.organizations.some((organization) => organization.id === organizationId));
    for (const [method, path, body] of [
      ['GET', `/api/v1/organizations/${organizationId}/accounts`],
      ['GET', `/api/v1/organizations/${organizationId}/departments/tree`],
      ['POST', `/api/v1/organizations/${organizationId}/departments`, { name: 'Sneaky' }],
      ['POST', `/api/v1/organizations/${organizationId}/invitations`, { address: 'someone' }],
    ] as [string, string, unknown?][]) {
      const refused = await call(app, method, path, { token: member.accessToken, body });
      assert.equal(refused.status, 403, `${method} ${path}`);
    }
    await assert.rejects(
      unary(grpc.accounts, 'ListAccounts', { organizationId }, bearer(member.accessToken)),
      rejectsWith(status.PERMISSION_DENIED),
    );
    // The member's own personal organization is untouched.
    const theirs = await personalOrganization(app, member.accessToken);
    assert.equal((await accounts(member.accessToken, theirs)).status, 200);

    const enabled = await accountAction(owner.accessToken, organizationId, account.id, 'enable');
    assert.equal(enabled.body.status, 'active');
    assert.ok((await organizationsOf(member.accessToken)).includes(organizationId));
    assert.equal((await accounts(member.accessToken, organizationId)).status, 200);
  });

  it('never disables or removes the owner’s account (409)', async () => {
    const { owner, organizationId } = await organizationOwner();
    const admin = await registerMember(app);
    const adminAccount = await joinOrganization(app, owner, organizationId, admin);
    await giveRole(app, owner.accessToken, organizationId, adminAccount.id, 'admin');
    const ownerAccount = await accountOf(app, owner.accessToken, organizationId, owner.id);
    for (const who of [owner, admin]) {
      const disable = await accountAction(
        who.accessToken,
        organizationId,
        ownerAccount.id,
        'disable',
      );
      assert.equal(disable.status, 409);
      assert.equal(disable.body.code, 'owner_account');
      const remove = await call<ProblemBody>(
        app,
        'DELETE',
        `/api/v1/organizations/${organizationId}/accounts/${ownerAccount.id}`,
        { token: who.accessToken },
      );
      assert.equal(remove.status, 409);
    }
    const still = await accountOf(app, owner.accessToken, organizationId, owner.id);
    assert.equal(still.status, 'active');
  });

  it('removes an account: the membership ends, projects and tasks stay, and the answer counts open tasks still assigned', async () => {
    const { owner, organizationId } = await organizationOwner();
    const member = await registerMember(app);
    const account = await joinOrganization(app, owner, organizationId, member);
    const template = await systemTemplate(app, owner.accessToken);
    // In the owner's (personal) organization, and one in another member's organization.
    const project = await createProject(app, owner.accessToken, { templateId: template.id });
    const elsewhere = await registerMember(app);
    const outside = await createProject(app, elsewhere.accessToken, { templateId: template.id });
    const tasks: string[] = [];
    for (const [target, token] of [
      [project, owner.accessToken],
      [project, owner.accessToken],
      [project, owner.accessToken],
      [outside, elsewhere.accessToken],
    ] as const) {
      await call(app, 'POST', `/api/v1/projects/${target.id}/members`, {
        token,
        body: { memberId: member.id },
      });
      const stages = await call<PageBody<{ id: string }>>(
        app,
        'GET',
        `/api/v1/projects/${target.id}/stages`,
        { token },
      );
      const task = await call<{ id: string }>(app, 'POST', `/api/v1/projects/${target.id}/tasks`, {
        token,
        body: { stageId: stages.body.items[0].id, name: 'Assigned', assigneeId: member.id },
      });
      assert.equal(task.status, 201, JSON.stringify(task.body));
      tasks.push(task.body.id);
    }
    await call(app, 'POST', `/api/v1/tasks/${tasks[0]}/done`, { token: owner.accessToken });

    const removed = await call<{ openTasksStillAssigned: number }>(
      app,
      'DELETE',
      `/api/v1/organizations/${organizationId}/accounts/${account.id}`,
      { token: owner.accessToken },
    );
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body, { openTasksStillAssigned: 2 });

    assert.ok(!(await organizationsOf(member.accessToken)).includes(organizationId));
    assert.equal((await accounts(member.accessToken, organizationId)).status, 404);
    assert.ok(
      !(await accounts(owner.accessToken, organizationId)).body.items.some(
        (item) => item.id === account.id,
      ),
    );
    const stillTheirs = await call<{ assignee: { id: string } }>(
      app,
      'GET',
      `/api/v1/tasks/${tasks[1]}`,
      { token: member.accessToken },
    );
    assert.equal(stillTheirs.status, 200);
    assert.equal(stillTheirs.body.assignee.id, member.id);
    const gone = await call(
      app,
      'GET',
      `/api/v1/organizations/${organizationId}/accounts/${account.id}`,
      { token: owner.accessToken },
    );
    assert.equal(gone.status, 404);
  });

  describe('over gRPC (msproject.organization.v1.AccountService, InvitationService)', () => {
    const rpc = <T>(client: Client, method: string, request: object, who: RegisteredMember) =>
      unary<object, T>(client, method, request, bearer(who.accessToken));

    it('invites with one receipt for every address, and lets only the invitee answer', async () => {
      const { owner, organizationId } = await organizationOwner();
      const [invitee, stranger] = [await registerMember(app), await registerMember(app)];
      const receipts = [];
      for (const address of [invitee.input.mobile, 'nobody_over_grpc']) {
        receipts.push(await rpc(grpc.invitations, 'Invite', { organizationId, address }, owner));
      }
      assert.deepEqual(receipts, [{ status: 'requested' }, { status: 'requested' }]);
      await delivered();
      const mine = await rpc<PageBody<InvitationBody>>(
        grpc.invitations,
        'ListMyInvitations',
        {},
        invitee,
      );
      const [invitation] = mine.items;
      assert.equal(invitation.organization.id, organizationId);
      await assert.rejects(
        rpc(grpc.invitations, 'AcceptInvitation', { invitationId: invitation.id }, stranger),
        rejectsWith(status.NOT_FOUND),
      );
      const accepted = await rpc<InvitationBody>(
        grpc.invitations,
        'AcceptInvitation',
        { invitationId: invitation.id },
        invitee,
      );
      assert.equal(accepted.status, 'accepted');
      await assert.rejects(
        rpc(grpc.invitations, 'DeclineInvitation', { invitationId: invitation.id }, invitee),
        rejectsWith(status.FAILED_PRECONDITION, undefined, 'invitation_answered'),
      );
      await assert.rejects(
        rpc(grpc.invitations, 'Invite', { organizationId, address: 'someone' }, stranger),
        rejectsWith(status.NOT_FOUND),
      );
    });

    it('refuses an invitation over the limit with RESOURCE_EXHAUSTED and a retry-after', async () => {
      const { owner, organizationId } = await organizationOwner();
      try {
        await reconfigure(app, {
          organization: { invitations: { ...DEFAULT_LIMITS, perInviterPerHour: 1 } },
        });
        await rpc(grpc.invitations, 'Invite', { organizationId, address: 'nobody_a' }, owner);
        await assert.rejects(
          rpc(grpc.invitations, 'Invite', { organizationId, address: 'nobody_b' }, owner),
          (error: { code: number; metadata: Metadata }) => {
            assert.equal(error.code, status.RESOURCE_EXHAUSTED);
            assert.ok(Number(error.metadata.get('retry-after')[0]) > 0);
            return true;
          },
        );
      } finally {
        await reconfigure(app, { organization: { invitations: DEFAULT_LIMITS } });
      }
    });

    it('reads, edits, disables, enables and removes accounts by the same rules', async () => {
      const { owner, organizationId } = await organizationOwner();
      const member = await registerMember(app);
      const account = await joinOrganization(app, owner, organizationId, member);
      // An administrator: a disabled one is refused what their role allows once enabled.
      await giveRole(app, owner.accessToken, organizationId, account.id, 'admin');
      const ownerAccount = await accountOf(app, owner.accessToken, organizationId, owner.id);
      const ref = { organizationId, accountId: account.id };

      const listed = await rpc<PageBody<AccountBody>>(
        grpc.accounts,
        'ListAccounts',
        { organizationId, status: 'active' },
        owner,
      );
      assert.equal(listed.total, 2);
      const edited = await rpc<AccountBody>(
        grpc.accounts,
        'UpdateAccount',
        { ...ref, position: 'Lead' },
        owner,
      );
      assert.equal(edited.position, 'Lead');
      const cleared = await rpc<AccountBody>(
        grpc.accounts,
        'UpdateAccount',
        { ...ref, position: '' },
        owner,
      );
      assert.equal(cleared.position, '');
      assert.equal(
        (await accountOf(app, owner.accessToken, organizationId, member.id)).position,
        null,
      );

      await assert.rejects(
        rpc(grpc.accounts, 'DisableAccount', { organizationId, accountId: ownerAccount.id }, owner),
        rejectsWith(status.FAILED_PRECONDITION, undefined, 'owner_account'),
      );
      const disabled = await rpc<AccountBody>(grpc.accounts, 'DisableAccount', ref, owner);
      assert.equal(disabled.status, 'disabled');
      await assert.rejects(
        rpc(grpc.accounts, 'GetAccount', ref, member),
        rejectsWith(status.PERMISSION_DENIED),
      );
      assert.equal(
        (await rpc<AccountBody>(grpc.accounts, 'EnableAccount', ref, owner)).status,
        'active',
      );
      assert.equal(
        (await rpc<AccountBody>(grpc.accounts, 'GetAccount', ref, member)).id,
        account.id,
      );

      const removed = await rpc<{ openTasksStillAssigned: number }>(
        grpc.accounts,
        'RemoveAccount',
        ref,
        owner,
      );
      assert.equal(removed.openTasksStillAssigned, 0);
      await assert.rejects(
        rpc(grpc.accounts, 'GetAccount', ref, owner),
        rejectsWith(status.NOT_FOUND),
      );
      await assert.rejects(
        rpc(grpc.accounts, 'ListAccounts', { organizationId }, member),
        rejectsWith(status.NOT_FOUND),
      );
    });
  });
});
