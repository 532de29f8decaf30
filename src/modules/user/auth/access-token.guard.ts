import type { Metadata } from '@grpc/grpc-js';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '@/common/public.decorator';
import { Problem } from '@/common/problem';
import { Authenticator } from './authenticator';
import type { AccessClaims } from './token.service';

/** Where the guard leaves the caller for handlers: the request, or the call's metadata. */
export const CALLER = Symbol('msproject:caller');

export type Caller = AccessClaims;

function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1];
}

/**
 * Every HTTP route and every RPC needs a valid access token of a live session, unless it is
 * marked @Public(). Applied globally, so that a new route is protected by default.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** Whether each handler of each controller is public: decorators are fixed once built. */
  private readonly publicHandlers = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const rpc = context.getType() === 'rpc';
    const holder = rpc
      ? context.switchToRpc().getContext<Metadata & { [CALLER]?: Caller }>()
      : context.switchToHttp().getRequest<FastifyRequest & { [CALLER]?: Caller }>();
    const header = rpc
      ? (holder as Metadata).get('authorization')[0]
      : (holder as FastifyRequest).headers.authorization;
    const token = bearer(header);
    if (!token) throw Problem.unauthenticated('missing bearer token');
    holder[CALLER] = await this.authenticator.authenticate(token);
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const controller = context.getClass();
    const handler = context.getHandler();
    let handlers = this.publicHandlers.get(controller);
    if (!handlers) this.publicHandlers.set(controller, (handlers = new WeakMap()));
    let isPublic = handlers.get(handler);
    if (isPublic === undefined) {
      isPublic = !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]);
      handlers.set(handler, isPublic);
    }
    return isPublic;
  }
}
