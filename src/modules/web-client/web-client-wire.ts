import cors, {
  type FastifyCorsOptions,
  type FastifyCorsOptionsDelegateCallback,
} from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { ConfigCenter } from '@/config/config-center';
import { clientPaths } from './client-routes';
import { installFormParser } from './form-body';

/**
 * What the client's routes need of the HTTP server, set up before the routes are: their
 * urlencoded bodies read strictly, and CORS, so that the client can be served from another
 * origin: the allowed origins are read from the live config (`webClient.corsOrigins`) on
 * every request. No other route answers cross-origin requests.
 */
export function installWebClientWire(app: NestFastifyApplication, center: ConfigCenter): void {
  const { enabled, prefix } = center.config.webClient;
  installFormParser(app, center.config.server.bodyLimitBytes);
  if (!enabled) return;
  const paths = new Set(clientPaths().map((path) => `${prefix}/${path}`));
  const optionsFor = (request: FastifyRequest): FastifyCorsOptions => {
    const path = request.url.split('?')[0];
    if (!paths.has(path)) return { origin: false };
    return {
      origin: center.config.webClient.corsOrigins,
      methods: ['POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'organizationCode', 'Accept'],
      maxAge: 600,
    };
  };
  const delegate: FastifyCorsOptionsDelegateCallback = (request, callback) =>
    callback(null, optionsFor(request));
  void app.register(cors, () => delegate);
}
