import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { FileDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';
import { startTestApp, type TestApp } from '../support/app';
import { grpcClient, unary } from '../support/grpc-client';

interface ReflectionReply {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: (Buffer | string)[] };
}

const reflectionProto =
  require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');

describe('the application on MariaDB and Redis', () => {
  let subject: TestApp;

  before(async () => {
    subject = await startTestApp();
  });

  after(async () => {
    await subject?.close();
  });

  it('answers GET /health/live with 200', async () => {
    const response = await fetch(`${subject.baseUrl}/health/live`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('reports the database and Redis up on GET /health/ready', async () => {
    const response = await fetch(`${subject.baseUrl}/health/ready`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { details: Record<string, { status: string }> };
    assert.equal(body.details.database.status, 'up');
    assert.equal(body.details.redis.status, 'up');
    assert.equal(body.details.config.status, 'up');
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await fetch(`${subject.baseUrl}/docs-json`);
    assert.equal(json.status, 200);
    const document = (await json.json()) as {
      openapi: string;
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    assert.match(document.openapi, /^3\./);
    assert.ok(document.paths['/health/live']);
    // Documented by the health-check library once the document is built.
    assert.ok(document.paths['/health/ready'].get?.responses['503']);
    const ui = await fetch(`${subject.baseUrl}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });

  it('answers grpc.health.v1.Health/Check with SERVING', async () => {
    const client = grpcClient(
      subject.grpcAddress,
      'grpc/health/v1/health.proto',
      'grpc.health.v1.Health',
    );
    try {
      const overall = await unary<object, { status: string }>(client, 'Check', { service: '' });
      assert.equal(overall.status, 'SERVING');
      await assert.rejects(
        unary(client, 'Check', { service: 'no.such.Service' }),
        (error: ServiceError) => error.code === grpcStatus.NOT_FOUND,
      );
    } finally {
      client.close();
    }
  });

  /** The server's first reply to one reflection request. */
  async function reflect(request: object): Promise<ReflectionReply> {
    const client = grpcClient<grpc.Client>(
      subject.grpcAddress,
      reflectionProto,
      'grpc.reflection.v1.ServerReflection',
      [dirname(reflectionProto)],
    );
    try {
      return await new Promise<ReflectionReply>((resolve, reject) => {
        const reflection = client as unknown as {
          serverReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionReply>;
        };
        const stream = reflection.serverReflectionInfo();
        stream.on('data', (message: ReflectionReply) => {
          resolve(message);
          stream.end();
        });
        stream.on('error', reject);
        stream.write(request);
      });
    } finally {
      client.close();
    }
  }

  it('lists the served services through server reflection', async () => {
    const reply = await reflect({ listServices: '' });
    const services = (reply.listServicesResponse?.service ?? []).map((service) => service.name);
    assert.ok(services.includes('grpc.health.v1.Health'), services.join(','));
    assert.ok(services.includes('msproject.user.v1.UserService'), services.join(','));
  });

  it("describes a served service's file through server reflection", async () => {
    const reply = await reflect({ fileContainingSymbol: 'msproject.user.v1.UserService' });
    const files = (reply.fileDescriptorResponse?.fileDescriptorProto ?? []).map(
      (bytes) =>
        FileDescriptorProto.decode(
          typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : bytes,
        ) as unknown as IFileDescriptorProto,
    );
    const user = files.find((file) => file.package === 'msproject.user.v1');
    assert.ok(user, files.map((file) => file.name).join(','));
    assert.ok(user.service?.some((service) => service.name === 'UserService'));
    assert.ok(user.service?.[0]?.method?.some((method) => method.name === 'Login'));
  });
});
