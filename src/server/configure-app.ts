import { createRequire } from 'node:module';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ValidatorFactory } from '@fastify/ajv-compiler';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import type { MicroserviceOptions } from '@nestjs/microservices';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { toProblem } from '../common/problem.filter';
import { answerClientError, sendProblem } from '../common/problem-response';
import type { ConfigCenter } from '../config/config-center';
import { ServiceRegistry } from '../discovery/service-registry';
import { GRPC_PACKAGES, grpcOptions, type ProtoPackage } from '../grpc/grpc.options';
import { UndecodableRequestInterceptor } from '../grpc/undecodable-request.interceptor';
import { ServingState } from '../health/serving-state';
import { installHttpTelemetry } from '../telemetry/http-telemetry';
import { installWebClientWire } from '../modules/web-client/web-client-wire';
import { FrameworkLogger } from '../logging/framework-logger';
import { serveOpenApiDocs } from './openapi-docs';

/**
 * Fastify's default schema compilers (ajv and fast-json-stringify, about 100 modules), loaded
 * when a route with a schema first needs one instead of with Fastify: no route declares one.
 */
const SCHEMA_COMPILERS_ON_FIRST_USE = (() => {
  const fromFastify = createRequire(require.resolve('fastify'));
  let validators: ValidatorFactory | undefined;
  let serializers: SerializerFactory | undefined;
  return {
    buildValidator: (...args: Parameters<ValidatorFactory>) =>
      (validators ??= (
        fromFastify('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler')
      )())(...args),
    buildSerializer: (...args: Parameters<SerializerFactory>) =>
      (serializers ??= (
        fromFastify(
          '@fastify/fast-json-stringify-compiler',
        ) as typeof import('@fastify/fast-json-stringify-compiler')
      ).SerializerSelector())(...args),
  };
})();

export function createHttpAdapter(center: ConfigCenter): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: center.config.server.bodyLimitBytes,
    // Only behind a known proxy may X-Forwarded-For name the client (rate limits key on it).
    trustProxy: center.config.server.trustProxy,
    return503OnClosing: true,
    // The router's own rejections (malformed URL, over-long parameter) as problem details,
    // without the path that was at fault.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, toProblem(error)),
    clientErrorHandler: answerClientError,
    schemaController: { compilersFactory: SCHEMA_COMPILERS_ON_FIRST_USE },
  });
  // multipart/form-data is left unread by the body parser (bodyLimit does not apply to it):
  // upload routes stream it under their own live limits (attachments.*).
  void adapter.getInstance().register(fastifyMultipart);
  return adapter;
}

/**
 * Everything main.ts and the integration tests set up alike on a created application: the
 * logger, route names and trace ids on HTTP responses, the gRPC server beside HTTP, and the
 * OpenAPI document.
 */
export function configureApp(
  app: NestFastifyApplication,
  center: ConfigCenter,
  grpcPackages: ProtoPackage[] = GRPC_PACKAGES,
): void {
  app.useLogger(new FrameworkLogger(app.get(Logger)));
  app.flushLogs();
  closeConnectionsWhileDraining(app);
  installHttpTelemetry(app.getHttpAdapter().getInstance());
  installWebClientWire(app, center);
  app.useGlobalInterceptors(new UndecodableRequestInterceptor());
  app.connectMicroservice<MicroserviceOptions>(grpcOptions(center.config.grpc, grpcPackages), {
    inheritAppConfig: true,
  });
  if (center.config.server.docs) serveOpenApiDocs(app);
}

/**
 * Once shutdown begins (the grace period included), responses carry `Connection: close`, so
 * that keep-alive clients let go and no idle connection is left for the closing server to cut
 * under a request racing in.
 */
function closeConnectionsWhileDraining(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const state = app.get(ServingState);
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (!state.serving) void reply.header('connection', 'close');
    done(null, payload);
  });
}

export interface ListeningAddresses {
  http: string;
  grpc: string;
  docs?: string;
}

export async function listen(
  app: NestFastifyApplication,
  center: ConfigCenter,
): Promise<ListeningAddresses> {
  const { server, grpc } = center.config;
  await app.startAllMicroservices();
  await app.listen(server.port, server.host);
  // Only now can callers that find this instance in the registry reach it.
  app.get(ServiceRegistry).start();
  const http = `http://${server.host}:${server.port}`;
  return {
    http,
    grpc: `${grpc.host}:${grpc.port}`,
    docs: server.docs ? `${http}/docs` : undefined,
  };
}
