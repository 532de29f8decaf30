import { Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import {
  updateOrganizationRequest,
  type UpdateOrganizationRequest,
} from '@/modules/organization/dto/access.schemas';
import { OrganizationSettingsService } from '@/modules/organization/organization-settings.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId')
export class OrganizationsController {
  constructor(private readonly settings: OrganizationSettingsService) {}

  @OrgPermission('project/organization/read')
  @RpcTwin('OrganizationService/GetOrganization')
  @Get()
  @ApiOperation({ summary: "An organization's settings (project/organization/read)" })
  get(@IdParam('organizationId', 'organization') organizationId: number) {
    return this.settings.get(organizationId);
  }

  @OrgPermission('project/organization/edit')
  @RpcTwin('OrganizationService/UpdateOrganization')
  @Patch()
  @ApiOperation({
    summary: "Change an organization's name or description (project/organization/edit)",
  })
  @ApiZodBody(updateOrganizationRequest)
  update(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(updateOrganizationRequest) body: UpdateOrganizationRequest,
  ) {
    return this.settings.update(organizationId, body);
  }
}
