import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { applyDeferredDocs } from '../common/api-docs';

/**
 * The routes `SwaggerModule.setup('docs', …, { jsonDocumentUrl: 'docs-json' })` serves: the UI
 * page and its script, the JSON and YAML documents, the UI's assets.
 */
const ROUTES = [
  '/docs',
  '/docs/',
  '/docs/index.html',
  '/docs/LICENSE',
  '/docs/swagger-ui-init.js',
  '/docs/docs/swagger-ui-init.js',
  '/docs/*',
  '/docs-json',
  '/docs-yaml',
];

/** Headers of the inner response that belong to its own (absent) connection. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * Serves the OpenAPI document and its UI at /docs, /docs-json and /docs-yaml. `@nestjs/swagger`
 * is loaded, and the document built from every route's metadata, on the first request for one
 * of them; until then the package costs the start-up nothing. Its routes live on an inner,
 * never-listening Fastify instance that these routes hand requests to (a HEAD request as the
 * GET it stands for: this application's HEAD route sends the headers of that); what it does not
 * find is this application's 404.
 */
export function serveOpenApiDocs(app: NestFastifyApplication): void {
  let docs: Promise<FastifyInstance> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= docsServer(app).catch((error: unknown) => {
      docs = undefined;
      throw error;
    });
    const response = await (
      await docs
    ).inject({ method: 'GET', url: request.url, headers: request.headers });
    if (response.statusCode === 404) return reply.callNotFound();
    void reply.code(response.statusCode);
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !CONNECTION_HEADERS.has(name)) void reply.header(name, value);
    }
    return reply.send(response.rawPayload);
  };
  const fastify = app.getHttpAdapter().getInstance();
  for (const url of ROUTES) fastify.get(url, forward);
}

async function docsServer(app: NestFastifyApplication): Promise<FastifyInstance> {
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  applyDeferredDocs();
  const adapter = new FastifyAdapter();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('msproject API')
      .setDescription('Members, organizations, projects and task boards.')
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addBearerAuth()
      .build(),
  );
  const view = { getHttpAdapter: () => adapter } as unknown as NestFastifyApplication;
  SwaggerModule.setup('docs', view, document, { jsonDocumentUrl: 'docs-json' });
  const server = adapter.getInstance();
  await server.ready();
  return server;
}
