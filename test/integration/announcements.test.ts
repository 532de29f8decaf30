import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { FAN_OUT_BATCH } from '@/modules/notification/announcement.repository';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { notificationsOf, unreadCount } from '../support/notifications';
import { sql, type ProblemBody } from '../support/projects';

interface AnnouncementBody {
  id: string;
  title: string;
  content: string;
  recipients: number;
  createdBy: string;
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
});
