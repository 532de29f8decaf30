import { Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createOrganizationRequest,
  type CreateOrganizationRequest,
} from '@/modules/organization/dto/access.schemas';
import { OrganizationLifecycleService } from '@/modules/organization/organization-lifecycle.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('api/v1/organizations')
export class OrganizationLifecycleController {
  constructor(private readonly lifecycle: OrganizationLifecycleService) {}

  @NotOrgScoped('a new organization, founded by the caller, who becomes its owner')
  @RpcTwin('OrganizationService/CreateOrganization')
  @Post()
  @ApiOperation({
    summary:
      'Found an organization: the caller becomes its owner, with the roles every organization starts with',
  })
  @ApiZodBody(createOrganizationRequest)
  create(
    @CurrentCaller() caller: Caller,
    @ValidBody(createOrganizationRequest) body: CreateOrganizationRequest,
  ) {
    return this.lifecycle.create(caller.memberId, body);
  }

  @NotOrgScoped("the organization's owner only, checked by the operation itself")
  @RpcTwin('OrganizationService/DeleteOrganization')
  @Delete(':organizationId')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete an organization with its accounts, roles, departments and templates. Owner only; refused (409) while it holds a project, and for the one every member got at registration',
  })
  async delete(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
  ) {
    await this.lifecycle.delete(caller.memberId, organizationId);
  }

  @NotOrgScoped("the caller's own account in the organization")
  @RpcTwin('OrganizationService/LeaveOrganization')
  @Post(':organizationId/leave')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Leave an organization: the caller's account there ends, their projects and tasks stay; its owner cannot (409)",
  })
  async leave(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
  ) {
    await this.lifecycle.leave(caller.memberId, organizationId);
  }
}
