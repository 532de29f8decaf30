import type { Metadata } from '@grpc/grpc-js';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '@/common/public.decorator';
import { Problem } from '@/common/problem';
import { Authenticator } from './authenticator';
import { DOWNLOAD_PASS_ROUTE, DownloadPasses } from './download-passes';
import { SIGNED_LINK_ROUTE, SIGNED_LINK_SUBJECT, SignedLinks } from './signed-links';
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
 * marked @Public(); a route marked @AcceptsSignedLink() takes, without a token, a valid
 * signed link instead, and a GET route marked @AcceptsDownloadPass() the download-pass cookie.
 * Applied globally, so that a new route is protected by default.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** Whether each handler of each controller is public: decorators are fixed once built. */
  private readonly publicHandlers = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly links: SignedLinks,
    private readonly downloadPasses: DownloadPasses,
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
    if (!token) {
      const linked =
        context.getType() === 'http' &&
        (this.signedLink(context) ?? (await this.downloadPass(context)));
      if (!linked) throw Problem.unauthenticated('missing bearer token');
      holder[CALLER] = linked;
      return true;
    }
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

  /** The caller a download pass names, on a GET route that takes one; undefined without one. */
  private downloadPass(context: ExecutionContext): Promise<Caller | undefined> | undefined {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET') return undefined;
    if (!this.reflector.get<boolean | undefined>(DOWNLOAD_PASS_ROUTE, context.getHandler())) {
      return undefined;
    }
    return this.downloadPasses.verify(request.headers.cookie);
  }

  /** The caller a signed link names, on a route that takes one; undefined without a link. */
  private signedLink(context: ExecutionContext): Caller | undefined {
    const purpose = this.reflector.get<string | undefined>(SIGNED_LINK_ROUTE, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!purpose || !SignedLinks.offered(request.query)) return undefined;
    const { memberId, expiresAt } = this.links.verify(
      purpose,
      (request.params as Record<string, unknown> | undefined)?.[
        this.reflector.get<string | undefined>(SIGNED_LINK_SUBJECT, context.getHandler()) ?? 'id'
      ],
      request.query as Record<string, unknown>,
    );
    // No session: the link is the credential, until it expires.
    return { memberId, sessionId: '', expiresAt };
  }
}
