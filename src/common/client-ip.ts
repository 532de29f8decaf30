import type { ServerUnaryCall } from '@grpc/grpc-js';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The client's address: over HTTP as Fastify sees it (X-Forwarded-For honoured behind a
 * trusted proxy), over gRPC the peer of the call.
 */
export const ClientIp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    if (context.getType() === 'rpc') {
      const call = context.getArgByIndex<ServerUnaryCall<unknown, unknown>>(2);
      return call.getPeer().replace(/:\d+$/, '');
    }
    return context.switchToHttp().getRequest<FastifyRequest>().ip;
  },
);
