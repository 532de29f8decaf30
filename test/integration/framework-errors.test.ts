import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  body: Record<string, unknown>;
}

async function fetchRaw(app: TestApp, path: string, init: RequestInit = {}): Promise<RawAnswer> {
  const response = await fetch(`${app.baseUrl}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

/** Writes `request` on a fresh connection and reads until the server closes it. */
function exchange(app: TestApp, request: string): Promise<string> {
  const { hostname, port } = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in time')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function assertProblem(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.contentType, /^application\/problem\+json/);
  assert.equal(answer.body.status, status);
  assert.equal(answer.body.code, code);
  assert.equal(answer.body.type, `https://msproject.dev/problems/${code}`);
}

describe('errors of the HTTP framework itself as problem details', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  it('answers an over-long path parameter with 414, without echoing it', async () => {
    const parameter = `long${'x'.repeat(200)}`;
    const answer = await fetchRaw(app, `/api/v1/projects/${parameter}`);
    assertProblem(answer, 414, 'uri_too_long');
    assert.ok(!answer.text.includes(parameter), answer.text);
    assert.equal(answer.body.instance, undefined);
  });

  it('answers a malformed URL escape with 400, without echoing it', async () => {
    const answer = await fetchRaw(app, '/api/v1/projects/%E0%A4%A');
    assertProblem(answer, 400, 'malformed_url');
    assert.ok(!answer.text.includes('%E0%A4%A'), answer.text);
  });

  it('answers an unknown route with 404 naming only its path', async () => {
    const answer = await fetchRaw(app, '/api/v1/nowhere?token=unechoed-query');
    assertProblem(answer, 404, 'not_found');
    assert.equal(answer.body.instance, '/api/v1/nowhere');
    assert.ok(!answer.text.includes('unechoed-query'), answer.text);
    assert.ok(!String(answer.body.detail).includes('/api/v1/nowhere'), answer.text);
  });

  it('answers invalid and empty JSON bodies with 400, without echoing them', async () => {
    for (const body of ['{"account": "unechoed-body', '', '{"__proto__": {"admin": true}}']) {
      const answer = await fetchRaw(app, '/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assertProblem(answer, 400, 'malformed_body');
      assert.ok(!answer.text.includes('unechoed-body'), answer.text);
    }
  });

  it('answers an unsupported content type with 415 and an oversized body with 413', async () => {
    const xml = await fetchRaw(app, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<login/>',
    });
    assertProblem(xml, 415, 'unsupported_media_type');
    const huge = await fetchRaw(app, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assertProblem(huge, 413, 'payload_too_large');
  });

  it('answers oversized headers with 431 and bytes that are not HTTP with 400', async () => {
    const headers = await fetchRaw(app, '/health/live', {
      headers: { 'x-padding': 'p'.repeat(64 * 1024) },
    });
    assertProblem(headers, 431, 'headers_too_large');
    const garbage = await exchange(app, 'NOT HTTP AT ALL\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(garbage, /content-type: application\/problem\+json/i);
    const body = JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)) as { code: string };
    assert.equal(body.code, 'malformed_request');
  });
});
