import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OrganizationFounding } from '@/modules/user/organization-founding';
import { RoleRepository } from './role.repository';

/**
 * Every new organization starts with the admin and member roles, inside the transaction that
 * creates it; its owner's account holds admin.
 */
@Injectable()
export class RoleSeeds implements OnModuleInit {
  constructor(
    private readonly founding: OrganizationFounding,
    private readonly roles: RoleRepository,
  ) {}

  onModuleInit(): void {
    this.founding.onFounded(async (organization, manager) => {
      const { admin } = await this.roles.seed(organization.id, manager);
      return { ownerRoleId: admin.id };
    });
  }
}
