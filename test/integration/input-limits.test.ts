import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { status, type Client, type ServiceError } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary, unaryBytes } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { createProject, type ProblemBody, type ProjectBody } from '../support/projects';

const GET_MEMBERS = '/msproject.user.v1.UserService/GetMembers';

/** A GetMembersRequest on the wire: field 1, length-delimited, once per id. */
function getMembersBytes(id: string, count: number): Buffer {
  const encoded = Buffer.from(id, 'utf8');
  const entry = Buffer.concat([Buffer.from([0x0a, encoded.length]), encoded]);
  return Buffer.concat(Array.from({ length: count }, () => entry));
}

/** Each field name the server blamed, for a 400 problem. */
function fieldsOf(body: ProblemBody): string[] {
  return (body.errors ?? []).map((error) => error.field);
}

describe('input limits: list sizes, message sizes, text and numbers', () => {
  let app: TestApp;
  let member: RegisteredMember;
  let users: Client;
  let projects: Client;
  let health: Client;

  before(async () => {
    app = await startTestApp();
    member = await registerMember(app);
    users = grpcClient(app.grpcAddress, 'user/v1/user.proto', 'msproject.user.v1.UserService');
    projects = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.ProjectService',
    );
    health = grpcClient(app.grpcAddress, 'grpc/health/v1/health.proto', 'grpc.health.v1.Health');
  });

  after(async () => {
    for (const client of [users, projects, health]) client?.close();
    await app?.close();
  });

  it('refuses 300,000 ids in one GetMembers at once, and other calls go on meanwhile', async (t) => {
    // 3.6 MB: under grpc-js's default 4 MB, over the configured 256 KiB.
    const bytes = getMembersBytes(member.id, 300_000);
    const started = performance.now();
    let settled = false;
    const refused = unaryBytes(app.grpcAddress, GET_MEMBERS, bytes, bearer(member.accessToken))
      .then(
        () => assert.fail('300,000 ids were accepted'),
        (error: ServiceError) => ({ error, elapsedMs: performance.now() - started }),
      )
      .finally(() => (settled = true));
    const latencies: number[] = [];
    for (let round = 0; round < 100 && !settled; round++) {
      const sent = performance.now();
      await unary(health, 'Check', { service: '' });
      latencies.push(performance.now() - sent);
    }
    const { error, elapsedMs } = await refused;
    assert.equal(error.code, status.RESOURCE_EXHAUSTED, error.message);
    assert.ok(elapsedMs < 1_000, `refused after ${Math.round(elapsedMs)} ms`);
    const slowest = Math.max(0, ...latencies);
    assert.ok(slowest < 800, `a health check waited ${Math.round(slowest)} ms`);
    t.diagnostic(
      `refused in ${Math.round(elapsedMs)} ms; ${latencies.length} health checks meanwhile, ` +
        `slowest ${Math.round(slowest)} ms`,
    );
  });

  it('holds each service to its own message size limit, below the server-wide one', async () => {
    // 96 KiB: past the user service's 64 KiB, within the 256 KiB every other service takes.
    const bytes = getMembersBytes(member.id, 4_000);
    assert.ok(bytes.length > 64 * 1024 && bytes.length < 256 * 1024);
    await assert.rejects(
      unaryBytes(app.grpcAddress, GET_MEMBERS, bytes, bearer(member.accessToken)),
      rejectsWith(status.RESOURCE_EXHAUSTED),
    );
    await assert.rejects(
      unary(
        projects,
        'CreateProject',
        { name: 'Large', description: 'x'.repeat(bytes.length) },
        bearer(member.accessToken),
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'description'),
    );
  });

  it('refuses more than 500 ids under the size limit as INVALID_ARGUMENT naming ids', async () => {
    // 501 ids and more, yet under the user service's message size limit (64 KiB).
    const bytes = getMembersBytes(member.id, 2_000);
    const started = performance.now();
    await assert.rejects(
      unaryBytes(app.grpcAddress, GET_MEMBERS, bytes, bearer(member.accessToken)),
      rejectsWith(status.INVALID_ARGUMENT, 'ids'),
    );
    const elapsedMs = performance.now() - started;
    assert.ok(elapsedMs < 1_000, `refused after ${Math.round(elapsedMs)} ms`);
    await assert.rejects(
      unary(users, 'GetMembers', { ids: Array(501).fill(member.id) }, bearer(member.accessToken)),
      rejectsWith(status.INVALID_ARGUMENT, 'ids'),
    );
  });

  it('refuses an oversized list in a REST body with 400 naming it', async () => {
    const project = await createProject(app, member.accessToken);
    const response = await call<ProblemBody>(
      app,
      'PUT',
      `/api/v1/projects/${project.id}/stages/order`,
      { token: member.accessToken, body: { stageIds: Array(50_000).fill('k3G7QAe51F') } },
    );
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.deepEqual(fieldsOf(response.body), ['stageIds']);
  });

  it('names unknown fields one by one, a bounded number, without echoing the whole request', async () => {
    const longKey = `k${'x'.repeat(10_000)}`;
    const body: Record<string, unknown> = { name: 'Project', [longKey]: 1 };
    for (let index = 0; index < 5_000; index++) body[`unknown${index}`] = index;
    const response = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: member.accessToken,
      body,
    });
    assert.equal(response.status, 400);
    const fields = fieldsOf(response.body);
    assert.equal(fields.length, 20);
    assert.deepEqual(fields.slice(1, 3), ['unknown0', 'unknown1']);
    assert.ok(fields.every((field) => field.length <= 100));
    assert.ok(JSON.stringify(response.body).length < 4_096);
  });

  it('answers bytes that are not the method message with INVALID_ARGUMENT, not INTERNAL', async () => {
    const wrongWireType = Buffer.from([0x0f]);
    const overlongVarint = Buffer.alloc(11, 0xff);
    for (const bytes of [wrongWireType, overlongVarint]) {
      await assert.rejects(
        unaryBytes(app.grpcAddress, '/msproject.user.v1.UserService/Login', bytes),
        rejectsWith(status.INVALID_ARGUMENT),
      );
      await assert.rejects(
        unaryBytes(app.grpcAddress, GET_MEMBERS, bytes, bearer(member.accessToken)),
        rejectsWith(status.INVALID_ARGUMENT),
      );
      await assert.rejects(
        unaryBytes(app.grpcAddress, '/grpc.health.v1.Health/Check', bytes),
        rejectsWith(status.INVALID_ARGUMENT),
      );
    }
  });

  it('refuses control characters and lone surrogates in names, storing nothing', async () => {
    const before = await call<{ total: number }>(app, 'GET', '/api/v1/projects', {
      token: member.accessToken,
    });
    const unclean = [
      'nul\u0000name',
      'bell\u0007',
      'del\u007f',
      'c1\u0085',
      'line\nbreak',
      'lone\ud800',
    ];
    for (const name of unclean) {
      const response = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
        token: member.accessToken,
        body: { name },
      });
      assert.equal(response.status, 400, `${JSON.stringify(name)}: ${response.status}`);
      assert.deepEqual(fieldsOf(response.body), ['name']);
    }
    const description = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: member.accessToken,
      body: { name: 'Clean', description: 'tab\tand\r\nlines, then \u0000' },
    });
    assert.equal(description.status, 400);
    assert.deepEqual(fieldsOf(description.body), ['description']);
    await assert.rejects(
      unary(projects, 'CreateProject', { name: 'grpc\u0000name' }, bearer(member.accessToken)),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    const profile = await call<ProblemBody>(app, 'PATCH', '/api/v1/me', {
      token: member.accessToken,
      body: { name: 'me\u0000' },
    });
    assert.equal(profile.status, 400);
    assert.deepEqual(fieldsOf(profile.body), ['name']);
    const afterwards = await call<{ total: number }>(app, 'GET', '/api/v1/projects', {
      token: member.accessToken,
    });
    assert.equal(afterwards.body.total, before.body.total);
  });

  it('keeps tabs and line breaks in descriptions and astral characters anywhere', async () => {
    const project = await createProject(app, member.accessToken, {
      name: 'Rocket 🚀',
      description: 'first line\n\tsecond line\r\n',
    });
    const read = await call<ProjectBody & { description: string }>(
      app,
      'GET',
      `/api/v1/projects/${project.id}`,
      { token: member.accessToken },
    );
    assert.equal(read.body.name, 'Rocket 🚀');
    assert.equal(read.body.description, 'first line\n\tsecond line\r\n');
  });

  it('reads page and pageSize as decimal integers only', async () => {
    for (const page of ['0x10', '1e1', '%201', '', '+2', '2.0', '99999999999999999999']) {
      const response = await call<ProblemBody>(app, 'GET', `/api/v1/projects?page=${page}`, {
        token: member.accessToken,
      });
      assert.equal(response.status, 400, `page=${page}: ${response.status}`);
      assert.deepEqual(fieldsOf(response.body), ['page']);
    }
    const response = await call<ProblemBody>(app, 'GET', '/api/v1/projects?pageSize=0x10', {
      token: member.accessToken,
    });
    assert.deepEqual(fieldsOf(response.body), ['pageSize']);
    const decimal = await call(app, 'GET', '/api/v1/projects?page=2&pageSize=10', {
      token: member.accessToken,
    });
    assert.equal(decimal.status, 200);
  });
});
