import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import type { CreateOrganizationRequest } from './dto/access.schemas';
import { organizationSettingsView, type OrganizationSettingsView } from './dto/access.views';

/** More organizations than anyone runs: a bound on what one member can make the database hold. */
export const MAX_OWNED_ORGANIZATIONS = 50;

/**
 * An organization's life beyond registration: founded by any member (who becomes its owner,
 * with the roles every organization starts with), left by its members, deleted by its owner.
 */
@TracedService()
@Injectable()
export class OrganizationLifecycleService {
  constructor(private readonly directory: OrganizationDirectory) {}

  async create(
    memberId: number,
    request: CreateOrganizationRequest,
  ): Promise<OrganizationSettingsView> {
    if ((await this.directory.countOwnedBy(memberId)) >= MAX_OWNED_ORGANIZATIONS) {
      throw Problem.failedPrecondition(
        `a member owns at most ${MAX_OWNED_ORGANIZATIONS} organizations`,
        undefined,
        'too_many_organizations',
      );
    }
    const organization = await this.directory.found(memberId, {
      name: request.name,
      description: request.description || null,
      address: request.address || null,
    });
    return organizationSettingsView(organization);
  }

  /**
   * Owner only. The organization goes with its accounts, roles, departments, invitations,
   * invite links and project templates; it is refused while it holds a project (in the recycle
   * bin or the archive too: the owner deletes those first) and for the organization every
   * member got at registration (each member keeps one).
   */
  async delete(memberId: number, organizationId: number): Promise<void> {
    const account = await this.directory.accountOf(memberId, organizationId);
    if (!account) throw Problem.notFound('organization not found');
    if (account.role !== 'owner') {
      throw new Problem(403, 'owner_only', 'only the owner deletes an organization');
    }
    const organization = await this.directory.findOrganization(organizationId);
    if (!organization) throw Problem.notFound('organization not found');
    if (organization.personal) {
      throw Problem.failedPrecondition(
        'the organization every member gets at registration cannot be deleted',
        undefined,
        'personal_organization',
      );
    }
    if (!(await this.directory.dissolve(organizationId))) {
      throw Problem.notFound('organization not found');
    }
  }

  /**
   * The caller leaves: their account there ends, their projects, tasks and assignments stay
   * (as when an administrator removes the account). The owner cannot leave their own.
   */
  async leave(memberId: number, organizationId: number): Promise<void> {
    const account = await this.directory.accountOf(memberId, organizationId);
    if (!account) throw Problem.notFound('organization not found');
    if (account.role === 'owner') {
      throw Problem.failedPrecondition(
        'the owner cannot leave their own organization',
        undefined,
        'owner_account',
      );
    }
    if (!(await this.directory.leave(memberId, organizationId))) {
      throw Problem.notFound('organization not found');
    }
  }
}
