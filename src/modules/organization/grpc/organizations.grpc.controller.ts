import { Controller } from '@nestjs/common';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  OrganizationServiceControllerMethods,
  type OrganizationServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { wireMessage } from '@/grpc/wire-message';
import {
  createOrganizationRequest,
  updateOrganizationRequest,
  type CreateOrganizationRequest,
  type UpdateOrganizationRequest,
} from '../dto/access.schemas';
import { OrganizationLifecycleService } from '../organization-lifecycle.service';
import { AreaDirectory } from '../area-directory';
import { emptyRequest } from '@/modules/user/dto/user.schemas';
import { OrganizationSettingsService } from '../organization-settings.service';

/** msproject.access.v1.OrganizationService: the same rules, and schemas, as the REST API. */
@Controller()
@OrganizationServiceControllerMethods()
export class OrganizationsGrpcController implements GrpcService<OrganizationServiceController> {
  constructor(
    private readonly settings: OrganizationSettingsService,
    private readonly lifecycle: OrganizationLifecycleService,
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
      emptyMeansNull: ['description', 'address'],
    })
    request: UpdateOrganizationRequest,
  ) {
    return wireMessage(await this.settings.update(organizationId, request));
  }

  @NotOrgScoped('a new organization, founded by the caller, who becomes its owner')
  async createOrganization(
    @ValidPayload(createOrganizationRequest) request: CreateOrganizationRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.lifecycle.create(caller.memberId, request));
  }

  @NotOrgScoped("the organization's owner only, checked by the operation itself")
  async deleteOrganization(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.lifecycle.delete(caller.memberId, organizationId);
    return {};
  }

  @NotOrgScoped("the caller's own account in the organization")
  async leaveOrganization(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.lifecycle.leave(caller.memberId, organizationId);
    return {};
  }
}
