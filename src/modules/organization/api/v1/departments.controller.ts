import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import { DepartmentService } from '@/modules/organization/department.service';
import {
  createDepartmentRequest,
  departmentMemberRequest,
  listDepartmentsQuery,
  updateDepartmentRequest,
  type CreateDepartmentRequest,
  type DepartmentMemberRequest,
  type ListDepartmentsQuery,
  type UpdateDepartmentRequest,
} from '@/modules/organization/dto/department.schemas';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import { pageQuery, type Paging } from '@/modules/project/dto/project.schemas';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentService) {}

  @RpcTwin('DepartmentService/ListDepartments')
  @OrgPermission('project/department/index')
  @Get()
  @ApiOperation({ summary: "One level of the department tree: the top, or a department's own" })
  @ApiZodQuery(listDepartmentsQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(listDepartmentsQuery) query: ListDepartmentsQuery,
  ) {
    return this.departments.list(caller.memberId, organizationId, query);
  }

  @RpcTwin('DepartmentService/GetDepartmentTree')
  @OrgPermission('project/department/index')
  @Get('tree')
  @ApiOperation({ summary: "The organization's whole department tree" })
  tree(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
  ) {
    return this.departments.tree(caller.memberId, organizationId);
  }

  @RpcTwin('DepartmentService/GetDepartment')
  @OrgPermission('project/department/read')
  @Get(':departmentId')
  @ApiOperation({ summary: 'A department' })
  get(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
  ) {
    return this.departments.get(caller.memberId, organizationId, departmentId);
  }

  @RpcTwin('DepartmentService/CreateDepartment')
  @OrgPermission('project/department/save')
  @Post()
  @ApiOperation({ summary: 'Create a department, at the top or under another one' })
  @ApiZodBody(createDepartmentRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(createDepartmentRequest) body: CreateDepartmentRequest,
  ) {
    return this.departments.create(caller.memberId, organizationId, body);
  }

  @RpcTwin('DepartmentService/UpdateDepartment')
  @OrgPermission('project/department/edit')
  @Patch(':departmentId')
  @ApiOperation({
    summary: 'Rename a department, or move it with its subtree (not under itself or its subtree)',
  })
  @ApiZodBody(updateDepartmentRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
    @ValidBody(updateDepartmentRequest) body: UpdateDepartmentRequest,
  ) {
    return this.departments.update(caller.memberId, organizationId, departmentId, body);
  }

  @RpcTwin('DepartmentService/DeleteDepartment')
  @OrgPermission('project/department/delete')
  @Delete(':departmentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a department with no sub-departments and no members' })
  async delete(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
  ) {
    await this.departments.delete(caller.memberId, organizationId, departmentId);
  }

  @RpcTwin('DepartmentService/ListDepartmentMembers')
  @OrgPermission('project/department_member/index')
  @Get(':departmentId/members')
  @ApiOperation({ summary: 'The accounts in a department (not in its sub-departments)' })
  @ApiZodQuery(pageQuery)
  members(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.departments.members(caller.memberId, organizationId, departmentId, paging);
  }

  @RpcTwin('DepartmentService/AddDepartmentMember')
  @OrgPermission('project/department_member/invitemember')
  @Post(':departmentId/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put an account in a department, out of any other' })
  @ApiZodBody(departmentMemberRequest)
  addMember(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
    @ValidBody(departmentMemberRequest) body: DepartmentMemberRequest,
  ) {
    return this.departments.addMember(
      caller.memberId,
      organizationId,
      departmentId,
      body.accountId,
    );
  }

  @RpcTwin('DepartmentService/RemoveDepartmentMember')
  @OrgPermission('project/department_member/removemember')
  @Delete(':departmentId/members/:accountId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take an account out of a department' })
  async removeMember(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('departmentId', 'department') departmentId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    await this.departments.removeMember(caller.memberId, organizationId, departmentId, accountId);
  }
}
