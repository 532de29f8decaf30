import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { FAN_OUT_BATCH, NEW_MEMBER_MAX } from '@/modules/notification/announcement.repository';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { notificationsOf, unreadCount } from '../support/notifications';
import { sql, type PageBody, type ProblemBody } from '../support/projects';

interface AnnouncementBody {
  id: string;
  title: string;
  content: string;
  recipients: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

describe("system announcements: the deployment's administrators tell every member", () => {
  let app: TestApp;
  let announcements: Client;
  let admin: RegisteredMember;
  let member: RegisteredMember;
  let other: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    announcements = grpcClient(
      app.grpcAddress,
      'notification/v1/notification.proto',
      'msproject.notification.v1.AnnouncementService',
    );
    [admin, member, other] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    await reconfigure(app, { platform: { administrators: [admin.input.account] } });
  });
  after(async () => {
    announcements?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => ({ token: who.accessToken });

  async function send(body: Record<string, unknown>) {
    const sent = await call<AnnouncementBody>(app, 'POST', '/api/v1/announcements', {
      ...as(admin),
      body,
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    return sent.body;
  }

  async function systemOf(who: RegisteredMember) {
    const page = await notificationsOf(app, who.accessToken, 'kinds=system&pageSize=100');
    return page.items;
  }

  /** Members whose counters differ from their rows (stored, unread): none when exact. */
  async function countersOff() {
    return sql(
      app,
      `SELECT * FROM (SELECT member.id,
         (SELECT COUNT(*) FROM notification WHERE notification.memberId = member.id) AS stored,
         (SELECT COUNT(*) FROM notification
            WHERE notification.memberId = member.id AND notification.readAt IS NULL) AS unread,
         COALESCE((SELECT total FROM list_total
            WHERE list_total.memberId = member.id AND list = 'notifications'), 0) AS storedTotal,
         COALESCE((SELECT total FROM list_total
            WHERE list_total.memberId = member.id AND list = 'notifications:unread'), 0) AS unreadTotal
       FROM member) AS counted
       WHERE stored <> storedTotal OR unread <> unreadTotal`,
    );
  }

  it('reaches every member but its sender, in batches, each counter exact', async () => {
    // More members than one batch holds, so that the fan-out takes several.
    const extra = FAN_OUT_BATCH + 20;
    const tag = Math.random().toString(36).slice(2, 8);
    const rows = Array.from({ length: extra }, (_, index) => {
      const name = `bulk${tag}${index}`;
      return [name, name, `${name}@example.test`, `m${tag}${index}`, name, 'x'];
    });
    await sql(
      app,
      'INSERT INTO member (account, accountKey, email, mobile, name, passwordHash) VALUES ' +
        rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', '),
      rows.flat(),
    );
    const [{ members }] = await sql<{ members: number }>(
      app,
      'SELECT COUNT(*) AS members FROM member',
    );
    const before = await unreadCount(app, member.accessToken);

    const sent = await send({ title: '  Maintenance tonight  ', content: 'From 22:00 to 23:00.' });
    assert.equal(sent.title, 'Maintenance tonight');
    assert.equal(sent.recipients, Number(members) - 1, 'every member but the sender');
    assert.equal(sent.createdBy, admin.id);
    const [{ told }] = await sql<{ told: number }>(
      app,
      'SELECT COUNT(DISTINCT memberId) AS told FROM notification WHERE announcementId = ?',
      [decodeId(sent.id, 'announcement')],
    );
    assert.equal(Number(told), Number(members) - 1);
    assert.deepEqual(await countersOff(), [], 'every counter equals its rows');

    const [seen] = await systemOf(member);
    assert.equal(seen.kind, 'system');
    assert.equal(seen.read, false);
    assert.equal(seen.actor?.id, admin.id);
    assert.deepEqual(seen.announcement, {
      id: sent.id,
      title: 'Maintenance tonight',
      content: 'From 22:00 to 23:00.',
    });
    assert.equal(await unreadCount(app, member.accessToken), before + 1);
    assert.deepEqual(await systemOf(admin), [], 'the sender is not told');
  });

  it('edits what every member sees, their read state and counters unchanged', async () => {
    const sent = await send({ title: 'Office move', content: 'We move on Monday.' });
    const [mine] = await systemOf(member);
    const read = await call(app, 'POST', `/api/v1/me/notifications/${mine.id}/read`, as(member));
    assert.equal(read.status, 200);
    const otherUnread = await unreadCount(app, other.accessToken);

    const edited = await call<AnnouncementBody>(app, 'PATCH', `/api/v1/announcements/${sent.id}`, {
      ...as(admin),
      body: { content: 'We move on Tuesday.' },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.title, 'Office move', 'an unset field is kept');
    assert.equal(edited.body.content, 'We move on Tuesday.');
    const retitled = await call<AnnouncementBody>(
      app,
      'PATCH',
      `/api/v1/announcements/${sent.id}`,
      {
        ...as(admin),
        body: { title: 'Office move postponed' },
      },
    );
    assert.equal(retitled.status, 200);

    for (const who of [member, other]) {
      const [latest] = await systemOf(who);
      assert.deepEqual(latest.announcement, {
        id: sent.id,
        title: 'Office move postponed',
        content: 'We move on Tuesday.',
      });
      assert.equal(latest.content, 'Office move postponed', 'the sentence searched is the title');
    }
    const [again] = await systemOf(member);
    assert.equal(again.read, true, 'read stays read');
    assert.equal(await unreadCount(app, other.accessToken), otherUnread);
    const found = await notificationsOf(app, other.accessToken, 'keyword=postponed');
    assert.equal(found.total, 1);
    assert.deepEqual(await countersOff(), []);
  });

  it('refuses anyone but an administrator (403), changing nothing', async () => {
    const sent = await send({ title: 'Kept', content: 'As sent.' });
    const [{ total: before }] = await sql<{ total: number }>(
      app,
      'SELECT COUNT(*) AS total FROM notification',
    );
    const byMember = await call<ProblemBody>(app, 'POST', '/api/v1/announcements', {
      ...as(member),
      body: { title: 'Mine', content: 'Not allowed.' },
    });
    assert.equal(byMember.status, 403);
    const editByMember = await call(app, 'PATCH', `/api/v1/announcements/${sent.id}`, {
      ...as(member),
      body: { title: 'Changed' },
    });
    assert.equal(editByMember.status, 403);
    const anonymous = await call(app, 'POST', '/api/v1/announcements', {
      body: { title: 'Anyone', content: 'Nobody.' },
    });
    assert.equal(anonymous.status, 401);
    const [{ total: after }] = await sql<{ total: number }>(
      app,
      'SELECT COUNT(*) AS total FROM notification',
    );
    assert.equal(Number(after), Number(before));
    const [latest] = await systemOf(other);
    assert.equal(latest.announcement?.title, 'Kept');
    const [{ count }] = await sql<{ count: number }>(
      app,
      "SELECT COUNT(*) AS count FROM announcement WHERE title = 'Mine'",
    );
    assert.equal(Number(count), 0);
  });

  it('refuses bad input naming the field, and an unknown announcement (404)', async () => {
    const [{ total: before }] = await sql<{ total: number }>(
      app,
      'SELECT COUNT(*) AS total FROM announcement',
    );
    for (const [body, named] of [
      [{ content: 'No title.' }, 'title'],
      [{ title: '  ', content: 'Blank title.' }, 'title'],
      [{ title: 'x'.repeat(101), content: 'Long title.' }, 'title'],
      [{ title: 'No content' }, 'content'],
      [{ title: 'Long', content: 'x'.repeat(5001) }, 'content'],
      [{ title: 'Extra', content: 'Extra.', to: 'everyone' }, 'to'],
    ] as const) {
      const answer = await call<ProblemBody>(app, 'POST', '/api/v1/announcements', {
        ...as(admin),
        body,
      });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(JSON.stringify(answer.body), new RegExp(named));
    }
    const [{ total: after }] = await sql<{ total: number }>(
      app,
      'SELECT COUNT(*) AS total FROM announcement',
    );
    assert.equal(Number(after), Number(before));
    const sent = await send({ title: 'Real', content: 'Real.' });
    const empty = await call(app, 'PATCH', `/api/v1/announcements/${sent.id}`, {
      ...as(admin),
      body: {},
    });
    assert.equal(empty.status, 400);
    const unknown = await call(app, 'PATCH', '/api/v1/announcements/not-an-announcement', {
      ...as(admin),
      body: { title: 'Nothing' },
    });
    assert.equal(unknown.status, 404);
  });

  it('serves the same over gRPC, with the same rules', async () => {
    const sent = await unary<object, AnnouncementBody>(
      announcements,
      'SendAnnouncement',
      { title: 'Over gRPC', content: 'Sent by RPC.' },
      bearer(admin.accessToken),
    );
    assert.equal(sent.title, 'Over gRPC');
    const [latest] = await systemOf(other);
    assert.equal(latest.announcement?.id, sent.id);
    const updated = await unary<object, AnnouncementBody>(
      announcements,
      'UpdateAnnouncement',
      { id: sent.id, content: 'Changed by RPC.' },
      bearer(admin.accessToken),
    );
    assert.equal(updated.title, 'Over gRPC');
    assert.equal(updated.content, 'Changed by RPC.');
    assert.equal((await systemOf(other))[0].announcement?.content, 'Changed by RPC.');
    await assert.rejects(
      unary(
        announcements,
        'SendAnnouncement',
        { title: 'Mine', content: 'No.' },
        bearer(member.accessToken),
      ),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      unary(
        announcements,
        'SendAnnouncement',
        { title: '', content: 'No title.' },
        bearer(admin.accessToken),
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'title'),
    );
    await assert.rejects(
      unary(
        announcements,
        'UpdateAnnouncement',
        { id: sent.id, title: 'Theirs' },
        bearer(member.accessToken),
      ),
      rejectsWith(status.PERMISSION_DENIED),
    );
    assert.deepEqual(await countersOff(), []);
  });

  it('lets a member read and delete their announcement, the counters following', async () => {
    await send({ title: 'Short-lived', content: 'Read me.' });
    const [mine] = await systemOf(other);
    const unread = await unreadCount(app, other.accessToken);
    const gone = await call(app, 'DELETE', `/api/v1/me/notifications/${mine.id}`, as(other));
    assert.equal(gone.status, 204);
    assert.equal(await unreadCount(app, other.accessToken), unread - 1);
    assert.deepEqual(await countersOff(), []);
  });

  const listed = (who: RegisteredMember, query = '') =>
    call<PageBody<AnnouncementBody>>(
      app,
      'GET',
      `/api/v1/announcements${query ? `?${query}` : ''}`,
      as(who),
    );

  it('lists the announcements newest first, paged, with their exact total, and reads one', async () => {
    const first = await send({ title: 'Listed first', content: 'One.' });
    const second = await send({ title: 'Listed second', content: 'Two.' });
    const [{ total }] = await sql<{ total: number }>(
      app,
      'SELECT COUNT(*) AS total FROM announcement',
    );

    const page = await listed(admin, 'page=1&pageSize=2');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.total, Number(total));
    assert.equal(page.body.page, 1);
    assert.equal(page.body.pageSize, 2);
    assert.deepEqual(
      page.body.items.map((item) => item.id),
      [second.id, first.id],
    );
    assert.equal(page.body.items[0].recipients, second.recipients, 'how many it reached');
    const next = await listed(admin, 'page=2&pageSize=2');
    assert.equal(next.body.total, Number(total));
    assert.ok(!next.body.items.some((item) => item.id === first.id || item.id === second.id));

    const one = await call<AnnouncementBody>(
      app,
      'GET',
      `/api/v1/announcements/${first.id}`,
      as(admin),
    );
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, first);
  });

  it('deletes an announcement from every member, in batches, their counters following', async () => {
    // More members than a batch holds (the first test's), so that the deletion takes several.
    const sent = await send({ title: 'Withdrawn', content: 'Sent by mistake.' });
    const [mine] = await systemOf(member);
    assert.equal(mine.announcement?.id, sent.id);
    await call(app, 'POST', `/api/v1/me/notifications/${mine.id}/read`, as(member));
    const [theirs] = await systemOf(other);
    assert.equal(theirs.announcement?.id, sent.id);
    const unread = { member: await unreadCount(app, member.accessToken) };
    const otherUnread = await unreadCount(app, other.accessToken);
    const stored = (await notificationsOf(app, member.accessToken)).total;
    assert.ok(sent.recipients > FAN_OUT_BATCH);

    const gone = await call(app, 'DELETE', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(gone.status, 204, JSON.stringify(gone.body));

    const [{ remaining }] = await sql<{ remaining: number }>(
      app,
      'SELECT COUNT(*) AS remaining FROM notification WHERE announcementId = ?',
      [decodeId(sent.id, 'announcement')],
    );
    assert.equal(Number(remaining), 0, "gone from every member's notifications");
    assert.equal(await unreadCount(app, other.accessToken), otherUnread - 1, 'unread one');
    assert.equal(await unreadCount(app, member.accessToken), unread.member, 'read one');
    assert.equal((await notificationsOf(app, member.accessToken)).total, stored - 1);
    assert.ok(!(await systemOf(other)).some((item) => item.id === theirs.id));
    assert.deepEqual(await countersOff(), [], 'every counter equals its rows');
    const afterwards = await call(app, 'GET', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(afterwards.status, 404);
    assert.ok(
      !(await listed(admin, 'pageSize=100')).body.items.some((item) => item.id === sent.id),
    );
    const again = await call(app, 'DELETE', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(again.status, 404);
    const edit = await call(app, 'PATCH', `/api/v1/announcements/${sent.id}`, {
      ...as(admin),
      body: { title: 'Back' },
    });
    assert.equal(edit.status, 404);
  });

  it('finishes a deletion cut short when it is deleted again', async () => {
    const sent = await send({ title: 'Half gone', content: 'Cut short.' });
    const id = decodeId(sent.id, 'announcement');
    // As a deletion stopped after its first step leaves it: marked, its notifications there.
    await sql(app, 'UPDATE announcement SET deletedAt = CURRENT_TIMESTAMP WHERE id = ?', [id]);
    const hidden = await call(app, 'GET', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(hidden.status, 404, 'nobody reads one being deleted');
    const unread = await unreadCount(app, other.accessToken);

    const finished = await call(app, 'DELETE', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(finished.status, 204);
    const [{ leftover }] = await sql<{ leftover: number }>(
      app,
      `SELECT (SELECT COUNT(*) FROM notification WHERE announcementId = ?)
         + (SELECT COUNT(*) FROM announcement WHERE id = ?) AS leftover`,
      [id, id],
    );
    assert.equal(Number(leftover), 0);
    assert.equal(await unreadCount(app, other.accessToken), unread - 1);
    assert.deepEqual(await countersOff(), []);
  });

  it('keeps listing, reading and deleting to administrators (403), changing nothing', async () => {
    const sent = await send({ title: 'Admins only', content: 'Listed for them.' });
    for (const [method, path] of [
      ['GET', '/api/v1/announcements'],
      ['GET', `/api/v1/announcements/${sent.id}`],
      ['DELETE', `/api/v1/announcements/${sent.id}`],
    ] as const) {
      const byMember = await call<ProblemBody>(app, method, path, as(member));
      assert.equal(byMember.status, 403, `${method} ${path}`);
      const anonymous = await call(app, method, path);
      assert.equal(anonymous.status, 401, `${method} ${path}`);
    }
    const kept = await call(app, 'GET', `/api/v1/announcements/${sent.id}`, as(admin));
    assert.equal(kept.status, 200);
    const [latest] = await systemOf(member);
    assert.equal(latest.announcement?.id, sent.id, "still in the member's notifications");
  });

  it('refuses a bad page naming the field, and an unknown announcement (404)', async () => {
    for (const [query, named] of [
      ['page=0', 'page'],
      ['page=x', 'page'],
      ['pageSize=101', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['kind=system', 'kind'],
    ] as const) {
      const answer = await listed(admin, query);
      assert.equal(answer.status, 400, query);
      assert.match(JSON.stringify(answer.body), new RegExp(named), query);
    }
    for (const method of ['GET', 'DELETE'] as const) {
      const unknown = await call(
        app,
        method,
        '/api/v1/announcements/not-an-announcement',
        as(admin),
      );
      assert.equal(unknown.status, 404, method);
    }
  });

  it('gives a member who registers later the current announcements, counters exact', async () => {
    const current = await send({ title: 'Still current', content: 'Welcome too.' });
    const withdrawn = await send({ title: 'Withdrawn before', content: 'Gone.' });
    const stale = await send({ title: 'Long ago', content: 'Old news.' });
    await sql(
      app,
      'UPDATE announcement SET createdAt = DATE_SUB(createdAt, INTERVAL 31 DAY) WHERE id = ?',
      [decodeId(stale.id, 'announcement')],
    );
    const deleted = await call(app, 'DELETE', `/api/v1/announcements/${withdrawn.id}`, as(admin));
    assert.equal(deleted.status, 204);

    const newcomer = await registerMember(app);
    const received = await systemOf(newcomer);
    const ids = received.map((item) => item.announcement?.id);
    assert.equal(ids[0], current.id, 'the newest first');
    assert.ok(!ids.includes(withdrawn.id), 'not a deleted one');
    assert.ok(!ids.includes(stale.id), 'not one sent before the window (30 days)');
    const [{ live }] = await sql<{ live: number }>(
      app,
      `SELECT COUNT(*) AS live FROM announcement
       WHERE deletedAt IS NULL AND createdAt >= DATE_SUB(NOW(6), INTERVAL 30 DAY)`,
    );
    assert.equal(received.length, Math.min(Number(live), NEW_MEMBER_MAX));
    assert.equal(received[0].read, false);
    assert.equal(received[0].actor?.id, admin.id);
    assert.equal(received[0].createdAt, current.createdAt, 'dated when it was sent');
    assert.equal(await unreadCount(app, newcomer.accessToken), received.length);
    assert.deepEqual(await countersOff(), [], 'every counter equals its rows');
    const reached = await call<AnnouncementBody>(
      app,
      'GET',
      `/api/v1/announcements/${current.id}`,
      as(admin),
    );
    assert.equal(reached.body.recipients, current.recipients + 1, 'counted among its recipients');
    assert.equal(reached.body.updatedAt, current.updatedAt, 'not an edit');

    await reconfigure(app, { announcements: { newMemberWindowDays: 0 } });
    try {
      const later = await registerMember(app);
      assert.deepEqual(await systemOf(later), [], 'a window of 0 days gives none');
      assert.equal(await unreadCount(app, later.accessToken), 0);
    } finally {
      await reconfigure(app, { announcements: { newMemberWindowDays: 30 } });
    }
  });

  it('gives a member registering during a sending or a deletion each current one once', async () => {
    const withdrawn = await send({ title: 'Withdrawn meanwhile', content: 'Going.' });
    const [sent, newcomer, deleted] = await Promise.all([
      send({ title: 'Sent meanwhile', content: 'Racing.' }),
      registerMember(app),
      call(app, 'DELETE', `/api/v1/announcements/${withdrawn.id}`, as(admin)),
    ]);
    assert.equal(deleted.status, 204);
    const received = (await systemOf(newcomer)).map((item) => item.announcement?.id);
    assert.equal(received.filter((id) => id === sent.id).length, 1, 'the new one, once');
    const [{ copies, remaining }] = await sql<{ copies: number; remaining: number }>(
      app,
      `SELECT (SELECT COUNT(*) FROM notification WHERE announcementId = ?) AS copies,
         (SELECT COUNT(*) FROM notification WHERE announcementId = ?) AS remaining`,
      [decodeId(sent.id, 'announcement'), decodeId(withdrawn.id, 'announcement')],
    );
    assert.equal(Number(remaining), 0, 'nobody keeps the deleted one');
    const reached = await call<AnnouncementBody>(
      app,
      'GET',
      `/api/v1/announcements/${sent.id}`,
      as(admin),
    );
    assert.equal(reached.body.recipients, Number(copies), 'each member reached counted once');
    assert.deepEqual(await countersOff(), []);
  });

  it('lists, reads and deletes over gRPC, with the same rules', async () => {
    const sent = await send({ title: 'Deleted by RPC', content: 'Soon gone.' });
    const page = await unary<object, PageBody<AnnouncementBody>>(
      announcements,
      'ListAnnouncements',
      { page: 1, pageSize: 1 },
      bearer(admin.accessToken),
    );
    assert.deepEqual(
      page.items.map((item) => item.id),
      [sent.id],
    );
    assert.ok(page.total > 1);
    const one = await unary<object, AnnouncementBody>(
      announcements,
      'GetAnnouncement',
      { id: sent.id },
      bearer(admin.accessToken),
    );
    assert.equal(one.recipients, sent.recipients);
    for (const [rpc, request] of [
      ['ListAnnouncements', {}],
      ['GetAnnouncement', { id: sent.id }],
      ['DeleteAnnouncement', { id: sent.id }],
    ] as const) {
      await assert.rejects(
        unary(announcements, rpc, request, bearer(member.accessToken)),
        rejectsWith(status.PERMISSION_DENIED),
        rpc,
      );
    }
    await assert.rejects(
      unary(announcements, 'ListAnnouncements', { pageSize: 101 }, bearer(admin.accessToken)),
      rejectsWith(status.INVALID_ARGUMENT, 'pageSize'),
    );
    const unread = await unreadCount(app, other.accessToken);
    await unary(announcements, 'DeleteAnnouncement', { id: sent.id }, bearer(admin.accessToken));
    assert.equal(await unreadCount(app, other.accessToken), unread - 1);
    await assert.rejects(
      unary(announcements, 'GetAnnouncement', { id: sent.id }, bearer(admin.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
    assert.deepEqual(await countersOff(), []);
  });
});
