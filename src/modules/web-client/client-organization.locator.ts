import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessScope } from '@/modules/organization/access-scope';
import { CALLER, type Caller } from '@/modules/user/auth/access-token.guard';
import { ANSWERS_IN_ENVELOPE } from './enveloped';
import { currentOrganization } from './web-client.controller';
import { WebClientServices } from './web-client-services';

/**
 * Tells the organization guard where the client's organization-scoped routes name their
 * organization: the `organizationCode` header (else the member's first), as the routes
 * themselves read it. Other routes are left to the other locators.
 */
@Injectable()
export class ClientOrganizationLocator implements OnModuleInit {
  constructor(
    private readonly scope: AccessScope,
    private readonly reflector: Reflector,
    private readonly services: WebClientServices,
  ) {}

  onModuleInit(): void {
    this.scope.addLocator(async (context) => {
      if (context.getType() !== 'http') return undefined;
      if (this.reflector.get(ANSWERS_IN_ENVELOPE, context.getHandler()) !== true) return undefined;
      const request = context.switchToHttp().getRequest<FastifyRequest & { [CALLER]?: Caller }>();
      const caller = request[CALLER];
      if (!caller) return undefined;
      return currentOrganization(request, this.services, caller.memberId);
    });
  }
}
