import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  addMemberRequest,
  createProjectRequest,
  listProjectsQuery,
  pageQuery,
  updateProjectRequest,
  type AddMemberRequest,
  type CreateProjectRequest,
  type ListProjectsQuery,
  type Paging,
  type UpdateProjectRequest,
} from '@/modules/project/dto/project.schemas';
import { ProjectService } from '@/modules/project/project.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectService) {}

  @NotOrgScoped("the caller's own projects")
  @RpcTwin('ProjectService/ListProjects')
  @Get()
  @ApiOperation({ summary: 'My projects: mine (active), archived, recycled or collected' })
  @ApiZodQuery(listProjectsQuery)
  list(@CurrentCaller() caller: Caller, @ValidQuery(listProjectsQuery) query: ListProjectsQuery) {
    return this.projects.list(caller.memberId, query);
  }

  @NotOrgScoped("creates in the caller's personal organization, which they own")
  @RpcTwin('ProjectService/CreateProject')
  @Post()
  @ApiOperation({
    summary:
      'Create a project in my personal organization, optionally with the stages of a template',
  })
  @ApiZodBody(createProjectRequest)
  create(
    @CurrentCaller() caller: Caller,
    @ValidBody(createProjectRequest) body: CreateProjectRequest,
  ) {
    return this.projects.create(caller.memberId, body);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/GetProject')
  @Get(':id')
  @ApiOperation({ summary: 'A project I am a member of' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.get(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/UpdateProject')
  @Patch(':id')
  @ApiOperation({ summary: 'Change a project (owner only)' })
  @ApiZodBody(updateProjectRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(updateProjectRequest) body: UpdateProjectRequest,
  ) {
    return this.projects.update(caller.memberId, id, body);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/ArchiveProject')
  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a project (owner only)' })
  archive(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setArchived(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/ArchiveProject')
  @Post(':id/unarchive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring a project back from the archive (owner only)' })
  unarchive(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setArchived(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/RecycleProject')
  @Delete(':id')
  @ApiOperation({ summary: 'Move a project to the recycle bin (owner only)' })
  recycle(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setRecycled(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/RestoreProject')
  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a project out of the recycle bin (owner only)' })
  restore(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setRecycled(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/DeleteProject')
  @Post(':id/purge')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a project in the recycle bin for good, with its stages, tasks, files and activity (owner only)',
  })
  async deleteForGood(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    await this.projects.deleteForGood(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/LeaveProject')
  @Post(':id/leave')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Leave a project (never its owner): your open tasks in it are unassigned; answers how many',
  })
  leave(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.leave(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/SetCollected')
  @Put(':id/collection')
  @ApiOperation({ summary: 'Mark a project as a favourite' })
  collect(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setCollected(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/SetCollected')
  @Delete(':id/collection')
  @ApiOperation({ summary: 'Unmark a favourite project' })
  uncollect(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.projects.setCollected(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/ListMembers')
  @Get(':id/members')
  @ApiOperation({ summary: "A project's members and their roles" })
  @ApiZodQuery(pageQuery)
  members(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.projects.members(caller.memberId, id, paging);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/AddMember')
  @Post(':id/members')
  @ApiOperation({ summary: 'Add a member to a project (owner only)' })
  @ApiZodBody(addMemberRequest)
  addMember(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(addMemberRequest) body: AddMemberRequest,
  ) {
    return this.projects.addMember(caller.memberId, id, body.memberId);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('ProjectService/RemoveMember')
  @Delete(':id/members/:memberId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from a project (owner only)' })
  async removeMember(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @IdParam('memberId', 'member') memberId: number,
  ) {
    await this.projects.removeMember(caller.memberId, id, memberId);
  }
}
