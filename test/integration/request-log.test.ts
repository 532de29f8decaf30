import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember } from '../support/members';

describe('secrets in request logs and problem details', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  it('logs the path without the query, and no secret query value or credential header', async () => {
    const member = await registerMember(app);
    const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;
    const response = await call(app, 'GET', `/api/v1/projects?token=${secret}&page=1`, {
      token: member.accessToken,
      headers: {
        'proxy-authorization': `Basic ${secret}`,
        'x-api-key': secret,
        'x-auth-token': secret,
        cookie: `session=${secret}`,
      },
    });
    // An unknown query parameter is refused: the problem must not echo it either.
    assert.equal(response.status, 400);
    assert.ok(!JSON.stringify(response.body).includes(secret));
    assert.equal(response.body.instance, '/api/v1/projects');
    const line = await app.logs.waitFor(
      (entry) =>
        entry.msg === 'request completed' &&
        (entry.req as { url?: string } | undefined)?.url === '/api/v1/projects',
    );
    const req = line.req as { query: Record<string, string>; headers: Record<string, string> };
    assert.deepEqual(req.query, { token: '[redacted]', page: '1' });
    for (const header of ['proxy-authorization', 'x-api-key', 'x-auth-token', 'authorization']) {
      assert.equal(req.headers[header], '[redacted]', header);
    }
    assert.ok(!app.logs.text.includes(secret), 'the secret reached a log line');
    assert.ok(!app.logs.text.includes(member.accessToken), 'the access token reached a log line');
  });

  it('names only the path as the instance of a problem', async () => {
    const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;
    const response = await call(app, 'GET', `/api/v1/me?access_token=${secret}`, {
      headers: { 'x-api-key': secret },
    });
    assert.equal(response.status, 401);
    assert.equal(response.body.instance, '/api/v1/me');
    assert.ok(!JSON.stringify(response.body).includes(secret));
    await app.logs.waitFor(
      (entry) => (entry.req as { url?: string } | undefined)?.url === '/api/v1/me',
    );
    assert.ok(!app.logs.text.includes(secret), 'the secret reached a log line');
  });
});
