import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import type { UpdateOrganizationRequest } from './dto/access.schemas';
import { organizationSettingsView, type OrganizationSettingsView } from './dto/access.views';

/** An organization's name and description. */
@TracedService()
@Injectable()
export class OrganizationSettingsService {
  constructor(private readonly directory: OrganizationDirectory) {}

  async get(organizationId: number): Promise<OrganizationSettingsView> {
    const organization = await this.directory.findOrganization(organizationId);
    if (!organization) throw Problem.notFound('organization not found');
    return organizationSettingsView(organization);
  }

  async update(
    organizationId: number,
    changes: UpdateOrganizationRequest,
  ): Promise<OrganizationSettingsView> {
    await this.directory.updateOrganization(organizationId, changes);
    return this.get(organizationId);
  }
}
