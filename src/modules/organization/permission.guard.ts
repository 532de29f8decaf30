import type { Metadata } from '@grpc/grpc-js';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ORG_PERMISSION } from '@/common/org-permission';
import { Problem } from '@/common/problem';
import { OversizedRequest, UndecodableRequest } from '@/grpc/undecodable-request';
import { CALLER, type Caller } from '@/modules/user/auth/access-token.guard';
import { AccessScope } from './access-scope';
import { AccessService } from './access.service';

/**
 * The organization rules of every operation declared `@OrgPermission(node)`, over REST and
 * gRPC alike (and any transport whose requests name the organization to AccessScope). Runs
 * after the access-token guard, which left the caller on the request or the call's metadata.
 * `@NotOrgScoped` operations pass: their own rules (project membership) apply. A test holds
 * every operation to declaring one or the other.
 */
@Injectable()
export class OrgPermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly scope: AccessScope,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const node = this.reflector.get<string | undefined>(ORG_PERMISSION, context.getHandler());
    if (node === undefined) return true;
    const rpc = context.getType() === 'rpc';
    if (rpc) {
      // Bytes that are not the message: the interceptor refuses them, nothing runs.
      const data: unknown = context.switchToRpc().getData();
      if (data instanceof UndecodableRequest || data instanceof OversizedRequest) return true;
    }
    const holder = rpc
      ? context.switchToRpc().getContext<Metadata & { [CALLER]?: Caller }>()
      : context.switchToHttp().getRequest<{ [CALLER]?: Caller }>();
    // Organization-scoped operations are never public: no caller, no access.
    const caller = holder[CALLER];
    if (!caller) throw Problem.unauthenticated();
    const organizationId = await this.scope.organizationOf(context);
    if (organizationId === undefined) throw Problem.notFound('organization not found');
    await this.access.require(caller.memberId, organizationId, node);
    return true;
  }
}
