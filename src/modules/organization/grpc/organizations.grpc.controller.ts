import { Controller } from '@nestjs/common';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  OrganizationServiceControllerMethods,
  type OrganizationServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import { updateOrganizationRequest, type UpdateOrganizationRequest } from '../dto/access.schemas';
import { AreaDirectory } from '../area-directory';
import { emptyRequest } from '@/modules/user/dto/user.schemas';
import { OrganizationSettingsService } from '../organization-settings.service';

/** msproject.access.v1.OrganizationService: the same rules, and schemas, as the REST API. */
@Controller()
@OrganizationServiceControllerMethods()
export class OrganizationsGrpcController implements GrpcService<OrganizationServiceController> {
  constructor(
    private readonly settings: OrganizationSettingsService,
    private readonly areas: AreaDirectory,
  ) {}

  @NotOrgScoped("reference data for an organization's address, the same for everyone")
  listAreas(@ValidPayload(emptyRequest) _request: object) {
    return { items: this.areas.tree() };
  }

  @OrgPermission('project/organization/read')
  async getOrganization(@SubjectId('organizationId', 'organization') organizationId: number) {
    return wireMessage(await this.settings.get(organizationId));
  }

  @OrgPermission('project/organization/edit')
  async updateOrganization(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(updateOrganizationRequest, {
      omit: ['organizationId'],
      emptyMeansNull: ['description'],
    })
    request: UpdateOrganizationRequest,
  ) {
    return wireMessage(await this.settings.update(organizationId, request));
  }
}
