import { Controller } from '@nestjs/common';
import { OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  OrganizationServiceControllerMethods,
  type OrganizationServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import { updateOrganizationRequest, type UpdateOrganizationRequest } from '../dto/access.schemas';
import { OrganizationSettingsService } from '../organization-settings.service';

/** msproject.access.v1.OrganizationService: the same rules, and schemas, as the REST API. */
@Controller()
@OrganizationServiceControllerMethods()
export class OrganizationsGrpcController implements GrpcService<OrganizationServiceController> {
  constructor(private readonly settings: OrganizationSettingsService) {}

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
