import { Injectable, type OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { OrganizationDissolution } from '@/modules/user/organization-dissolution';
import { Department, Invitation, InviteLink, Role, RoleNode } from './entities';

/** A deleted organization's roles (with their nodes), departments, invitations and invite links go with it. */
@Injectable()
export class OrganizationDissolutionListener implements OnModuleInit {
  constructor(private readonly dissolution: OrganizationDissolution) {}

  onModuleInit(): void {
    this.dissolution.on(async (organizationId, manager) => {
      const roles = await manager.find(Role, { select: { id: true }, where: { organizationId } });
      if (roles.length) {
        await manager.delete(RoleNode, { roleId: In(roles.map((role) => role.id)) });
      }
      await manager.delete(Role, { organizationId });
      await manager.delete(Department, { organizationId });
      await manager.delete(Invitation, { organizationId });
      await manager.delete(InviteLink, { organizationId });
    });
  }
}
