import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { OrganizationDirectory } from '../user/organization-directory';
import { UserDirectory } from '../user/user-directory';
import type {
  CreateProjectRequest,
  ListProjectsQuery,
  ListTemplatesQuery,
  Paging,
  UpdateProjectRequest,
} from './dto/project.schemas';
import {
  memberIdsOf,
  pageOf,
  projectMemberView,
  projectView,
  templateView,
  type Page,
  type ProjectOfMember,
  type ProjectView,
  type TemplateView,
} from './dto/project.views';
import { ProjectAccess } from './project-access';
import { ProjectProgress } from './project-progress';
import { RecentWrites } from './recent-writes';
import { ProjectNotifications } from './project-notifications';
import { projectNotRecycled, ProjectRepository, type ProjectChanges } from './project.repository';
import { TaskBinRepository } from './task-bin.repository';
import { TaskRepository } from './task.repository';
import { TaskWorkflowRepository } from './task-workflow.repository';
import { ProjectInfoRepository } from './project-info.repository';

/** Projects, their members, favourites and templates. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ProjectService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly access: ProjectAccess,
    private readonly recentWrites: RecentWrites,
    private readonly directory: UserDirectory,
    private readonly notify: ProjectNotifications,
    private readonly organizations: OrganizationDirectory,
    private readonly progress: ProjectProgress,
    private readonly tasks: TaskRepository,
    private readonly bin: TaskBinRepository,
    private readonly workflows: TaskWorkflowRepository,
    private readonly infoFields: ProjectInfoRepository,
  ) {}

  async list(memberId: number, query: ListProjectsQuery): Promise<Page<ProjectView>> {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.projects.listForMember(memberId, query.filter, query);
    const members = await this.directory.summaries(
      memberIdsOf(rows.map((row) => row.project.ownerId)),
    );
    const completion = await this.progress.of(rows.map((row) => row.project));
    return pageOf(
      rows.map((row) => projectView(row, members, completion.get(row.project.id))),
      total,
      query,
    );
  }

  /** A project in the member's personal organization, which they own. */
  async create(memberId: number, request: CreateProjectRequest): Promise<ProjectView> {
    const organizationId = await this.organizations.personalOrganizationOf(memberId);
    return this.createIn(memberId, organizationId, request);
  }

  /**
   * A project in an organization. Whether the member may create one there is the
   * organization's rule (project/project/save), checked before this is called.
   */
  async createIn(
    memberId: number,
    organizationId: number | null,
    request: CreateProjectRequest,
  ): Promise<ProjectView> {
    const templateId = request.templateId ?? null;
    if (templateId !== null) {
      if (!(await this.projects.findUsableTemplate(templateId, memberId, organizationId))) {
        throw Problem.invalid([{ field: 'templateId', message: 'no such template' }]);
      }
    }
    const project = await this.projects.create({
      name: request.name,
      description: request.description ?? null,
      ownerId: memberId,
      organizationId,
      templateId,
    });
    await this.recentWrites.written(memberId);
    return this.get(memberId, project.id);
  }

  async get(memberId: number, projectId: number): Promise<ProjectView> {
    return this.view(await this.access.require(memberId, projectId));
  }

  async update(
    memberId: number,
    projectId: number,
    request: UpdateProjectRequest,
  ): Promise<ProjectView> {
    await this.access.require(memberId, projectId, 'owner');
    const { prefix, ...changes } = request;
    await this.change(
      memberId,
      projectId,
      prefix === undefined ? changes : { ...changes, prefix: prefix || null },
    );
    return this.get(memberId, projectId);
  }

  async setArchived(memberId: number, projectId: number, archived: boolean) {
    await this.access.require(memberId, projectId, 'owner');
    await this.change(memberId, projectId, { archived, archivedAt: archived ? new Date() : null });
    return this.get(memberId, projectId);
  }

  /** To the recycle bin (`deleted`), or back out of it. */
  async setRecycled(memberId: number, projectId: number, deleted: boolean) {
    await this.access.require(memberId, projectId, 'owner');
    await this.change(memberId, projectId, { deleted, deletedAt: deleted ? new Date() : null });
    return this.get(memberId, projectId);
  }

  async setCollected(memberId: number, projectId: number, collected: boolean) {
    await this.access.require(memberId, projectId);
    await this.projects.setCollected(projectId, memberId, collected);
    await this.recentWrites.written(memberId);
    return this.get(memberId, projectId);
  }

  async templates(memberId: number, query: ListTemplatesQuery): Promise<Page<TemplateView>> {
    const { rows, total } = await this.projects.listTemplates(
      memberId,
      await this.organizations.personalOrganizationOf(memberId),
      query.scope,
      query,
    );
    return {
      items: rows.map((row) => templateView(row.template, row.stages)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async members(memberId: number, projectId: number, paging: Paging) {
    await this.access.require(memberId, projectId);
    const { rows, total } = await this.projects.listMembers(projectId, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return {
      items: rows.map((row) => projectMemberView(row, members)),
      total,
      page: paging.page,
      pageSize: paging.pageSize,
    };
  }

  async addMember(memberId: number, projectId: number, newMemberId: number) {
    const { project } = await this.access.require(memberId, projectId, 'owner');
    const found = await this.directory.summaries([newMemberId]);
    if (!found.has(newMemberId)) {
      throw Problem.invalid([{ field: 'memberId', message: 'no such member' }]);
    }
    if (await this.projects.roleOf(projectId, newMemberId)) {
      throw Problem.conflict('memberId', 'already a member of this project');
    }
    await this.projects.addMember(projectId, newMemberId, (manager) =>
      this.notify.addedToProject(manager, project, newMemberId, memberId),
    );
    await this.recentWrites.written(memberId);
    return projectMemberView(
      { memberId: newMemberId, role: 'member', joinedAt: new Date() },
      found,
    );
  }

  /**
   * Where an invite link of `inviterId` into the project leads, while it may: the inviter
   * still owns the project and it is out of the recycle bin (else the link is not found).
   */
  async invitationTarget(
    inviterId: number,
    projectId: number,
  ): Promise<{ id: number; name: string; organizationId: number | null }> {
    const { id, name, organizationId } = await this.linkedProject(inviterId, projectId);
    return { id, name, organizationId };
  }

  /**
   * Admits `memberId` into the project on an invite link of `inviterId` (checked again as in
   * invitationTarget), told by a notification; a member already there stays as they are.
   */
  async admitByInvitation(inviterId: number, projectId: number, memberId: number): Promise<void> {
    const project = await this.linkedProject(inviterId, projectId);
    if (await this.projects.roleOf(projectId, memberId)) return;
    await this.projects.addMember(projectId, memberId, (manager) =>
      this.notify.addedToProject(manager, project, memberId, inviterId),
    );
    await this.recentWrites.written(memberId);
  }

  private async linkedProject(inviterId: number, projectId: number) {
    const found = await this.access
      .require(inviterId, projectId, 'owner')
      .catch((error: unknown) => {
        // No longer the owner's, or gone: the link opens nothing.
        if (error instanceof Problem && (error.status === 403 || error.status === 404)) return null;
        throw error;
      });
    if (!found || found.project.deleted) throw Problem.notFound('invite link not found');
    return found.project;
  }

  async removeMember(memberId: number, projectId: number, removedId: number) {
    const { project } = await this.access.require(memberId, projectId, 'owner');
    if (removedId === project.ownerId) {
      throw Problem.failedPrecondition('the owner cannot leave their project', 'memberId');
    }
    if (!(await this.projects.roleOf(projectId, removedId))) {
      throw Problem.notFound('not a member of this project');
    }
    await this.projects.removeMember(projectId, removedId);
    await this.recentWrites.written(memberId);
  }

  /**
   * The member leaves the project (never its owner). Their open tasks in it are unassigned in
   * the same transaction, each with an activity entry, so that nothing waits on someone who no
   * longer sees the board; done tasks keep their assignee, and task memberships and comments
   * stay, as history. Answers how many tasks were unassigned.
   */
  async leave(memberId: number, projectId: number): Promise<{ unassignedTasks: number }> {
    const { role } = await this.access.require(memberId, projectId);
    if (role === 'owner') {
      throw Problem.failedPrecondition(
        'the owner cannot leave their project: give it to someone or delete it',
        undefined,
        'owner_cannot_leave',
      );
    }
    let unassignedTasks = 0;
    await this.projects.removeMember(projectId, memberId, async (manager) => {
      unassignedTasks = await this.tasks.unassignOpenTasksOf(manager, projectId, memberId);
    });
    await this.recentWrites.written(memberId);
    return { unassignedTasks };
  }

  /**
   * Deletes a project in the recycle bin for good (its owner only): its stages, its tasks with
   * their members, work time, activity and attachments, its task workflows, information fields,
   * activity, favourites and members, all in one transaction. 409 `project_not_recycled` for a project out of the bin.
   */
  async deleteForGood(memberId: number, projectId: number): Promise<void> {
    const { project } = await this.access.require(memberId, projectId, 'owner');
    if (!project.deleted) throw projectNotRecycled();
    await this.projects.deleteForGood(projectId, async (manager) => {
      await this.bin.deleteAllOfProject(manager, projectId);
      await this.workflows.deleteAllOfProject(manager, projectId);
      await this.infoFields.deleteAllOfProject(manager, projectId);
    });
    await this.recentWrites.written(memberId);
  }

  private async change(memberId: number, projectId: number, changes: ProjectChanges) {
    await this.projects.update(projectId, changes);
    await this.recentWrites.written(memberId);
  }

  private async view(found: ProjectOfMember): Promise<ProjectView> {
    const members = await this.directory.summaries([found.project.ownerId]);
    const completion = await this.progress.of([found.project]);
    return projectView(found, members, completion.get(found.project.id));
  }
}
