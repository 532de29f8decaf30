import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { XLSX_TYPE } from '@/common/spreadsheet-reply';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  DepartmentServiceControllerMethods,
  type DepartmentServiceController,
} from '@/generated/organization/v1/organization';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import { pageQuery, type PageQuery } from '@/modules/project/dto/project.schemas';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { DepartmentService } from '../department.service';
import {
  DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME,
  DepartmentImportService,
} from '../department-import.service';
import {
  createDepartmentRequest,
  departmentMemberRequest,
  listDepartmentsQuery,
  updateDepartmentRequest,
  type CreateDepartmentRequest,
  type DepartmentMemberRequest,
  type ListDepartmentsQuery,
  type UpdateDepartmentRequest,
} from '../dto/department.schemas';

const IN_DEPARTMENT = ['organizationId', 'departmentId'];

/** ImportDepartmentMembers' message: the sheet in base64. */
const importMessage = z.strictObject({
  file: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
    .optional(),
});
type ImportMessage = z.infer<typeof importMessage>;

/** msproject.organization.v1.DepartmentService: the same rules, and schemas, as the REST API. */
@Controller()
@DepartmentServiceControllerMethods()
export class DepartmentsGrpcController implements GrpcService<DepartmentServiceController> {
  constructor(
    private readonly departments: DepartmentService,
    private readonly imports: DepartmentImportService,
  ) {}

  @NotOrgScoped('a blank template, the same for everyone')
  async getDepartmentMemberImportTemplate() {
    return {
      fileName: DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME,
      contentType: XLSX_TYPE,
      content: await this.imports.template(),
    };
  }

  @OrgPermission('project/department_member/invitemember')
  importDepartmentMembers(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(importMessage, { omit: ['organizationId'] }) request: ImportMessage,
    @CurrentCaller() caller: Caller,
  ) {
    return this.imports.importMembers(
      caller.memberId,
      organizationId,
      Buffer.from(request.file ?? '', 'base64'),
    );
  }

  @OrgPermission('project/department/index')
  async listDepartments(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(listDepartmentsQuery, { omit: ['organizationId'] }) query: ListDepartmentsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.departments.list(caller.memberId, organizationId, query));
  }

  @OrgPermission('project/department/index')
  async getDepartmentTree(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.departments.tree(caller.memberId, organizationId));
  }

  @OrgPermission('project/department/read')
  async getDepartment(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.departments.get(caller.memberId, organizationId, departmentId));
  }

  @OrgPermission('project/department/save')
  async createDepartment(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(createDepartmentRequest, { omit: ['organizationId'] })
    request: CreateDepartmentRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.departments.create(caller.memberId, organizationId, request));
  }

  @OrgPermission('project/department/edit')
  async updateDepartment(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @ValidPayload(updateDepartmentRequest, {
      omit: IN_DEPARTMENT,
      emptyMeansNull: ['parentDepartmentId'],
    })
    request: UpdateDepartmentRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.departments.update(caller.memberId, organizationId, departmentId, request),
    );
  }

  @OrgPermission('project/department/delete')
  async deleteDepartment(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.departments.delete(caller.memberId, organizationId, departmentId);
    return {};
  }

  @OrgPermission('project/department_member/index')
  async listDepartmentMembers(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @ValidPayload(pageQuery, { omit: IN_DEPARTMENT }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.departments.members(caller.memberId, organizationId, departmentId, paging),
    );
  }

  @OrgPermission('project/department_member/invitemember')
  async addDepartmentMember(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @ValidPayload(departmentMemberRequest, { omit: IN_DEPARTMENT })
    { accountId }: DepartmentMemberRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.departments.addMember(caller.memberId, organizationId, departmentId, accountId),
    );
  }

  @OrgPermission('project/department_member/removemember')
  async removeDepartmentMember(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('departmentId', 'department') departmentId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.departments.removeMember(caller.memberId, organizationId, departmentId, accountId);
    return {};
  }
}
