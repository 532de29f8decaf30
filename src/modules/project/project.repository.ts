import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  In,
  IsNull,
  Repository,
  type SelectQueryBuilder,
} from 'typeorm';
import {
  addToTotals,
  addToTotalsOfProjectMembers,
  readTotal,
  type ListName,
  type TotalChange,
} from '@/infra/database/list-totals';
import { Problem } from '@/common/problem';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
import { BoardLocks } from './board-locks';
import { joinProjectFeed, leaveProjectFeed } from './feed-totals';
import type { Paging, ProjectFilter } from './dto/project.schemas';
import type { ProjectOfMember } from './dto/project.views';
import {
  Activity,
  Project,
  ProjectCollection,
  ProjectFeature,
  ProjectMember,
  ProjectTemplate,
  ProjectVersion,
  StageTemplate,
  TaskStage,
  TaskTag,
  TaskTagLink,
  VersionLog,
  projectState,
  type ProjectRole,
  type ProjectState,
} from './entities';
import { countTaskLists, negated } from './task-totals';

export interface NewProject {
  name: string;
  description: string | null;
  ownerId: number;
  organizationId: number | null;
  templateId: number | null;
}

export type ProjectChanges = Partial<
  Pick<
    Project,
    | 'name'
    | 'description'
    | 'cover'
    | 'taskBoardTheme'
    | 'openTaskPrivate'
    | 'schedule'
    | 'autoUpdateSchedule'
    | 'private'
    | 'prefix'
    | 'openPrefix'
    | 'openBeginTime'
    | 'archived'
    | 'archivedAt'
    | 'deleted'
    | 'deletedAt'
  >
>;

type MemberRow = Pick<ProjectMember, 'memberId' | 'role' | 'joinedAt'>;

const offset = ({ page, pageSize }: Paging) => (page - 1) * pageSize;

const stateList = (state: ProjectState): ListName => `projects:${state}`;

/** An operation for a project in the recycle bin on one that is not in it. */
export const projectNotRecycled = () =>
  Problem.failedPrecondition(
    'the project is not in the recycle bin',
    undefined,
    'project_not_recycled',
  );

/** The project columns a member's list shows, with the member's role and collection. */
const LIST_COLUMNS =
  'project.*, membership.role AS membership_role, collection.id AS collection_id';

/**
 * A member's project lists, newest project first: one range of the membership index
 * (memberId, projectState, projectId) for a state, the member's collection for `collected`.
 */
export const PROJECT_LIST_SQL: Record<ProjectFilter, string> = {
  mine: listOfState(),
  archived: listOfState(),
  recycled: listOfState(),
  collected: `SELECT ${LIST_COLUMNS} FROM project_collection collection
    INNER JOIN project_member membership
      ON membership.projectId = collection.projectId AND membership.memberId = collection.memberId
    INNER JOIN project project ON project.id = collection.projectId
    WHERE collection.memberId = ? AND membership.projectState <> 'recycled'
    ORDER BY collection.projectId DESC LIMIT ? OFFSET ?`,
};

function listOfState(): string {
  return `SELECT ${LIST_COLUMNS} FROM project_member membership
    INNER JOIN project project ON project.id = membership.projectId
    LEFT JOIN project_collection collection
      ON collection.projectId = membership.projectId AND collection.memberId = membership.memberId
    WHERE membership.memberId = ? AND membership.projectState = ?
    ORDER BY membership.projectId DESC LIMIT ? OFFSET ?`;
}

const FILTER_STATE: Record<Exclude<ProjectFilter, 'collected'>, ProjectState> = {
  mine: 'active',
  archived: 'archived',
  recycled: 'recycled',
};

/** Projects, their members, collections and templates: the project module's tables, by intent. */
@Injectable()
export class ProjectRepository {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(ProjectMember) private readonly members: Repository<ProjectMember>,
    @InjectRepository(ProjectTemplate) private readonly templates: Repository<ProjectTemplate>,
    @InjectRepository(StageTemplate) private readonly stageTemplates: Repository<StageTemplate>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: BoardLocks,
  ) {}

  /** The project, the owner membership and the template's stages: all or nothing. */
  create(input: NewProject): Promise<Project> {
    return this.dataSource.transaction(async (manager) => {
      const project = await manager.save(
        Project,
        manager.create(Project, { ...input, taskBoardTheme: 'simple' }),
      );
      await manager.insert(ProjectMember, {
        projectId: project.id,
        memberId: input.ownerId,
        role: 'owner',
        projectState: 'active',
      });
      await addToTotals(manager, [
        { memberId: input.ownerId, list: stateList('active'), delta: 1 },
      ]);
      if (input.templateId !== null) {
        const stages = await manager.find(StageTemplate, {
          where: { templateId: input.templateId },
          order: { sort: 'ASC', id: 'ASC' },
        });
        if (stages.length) {
          await manager.insert(
            TaskStage,
            stages.map((stage, index) => ({
              projectId: project.id,
              name: stage.name,
              sort: index,
            })),
          );
        }
      }
      return project;
    });
  }

  private listQuery(memberId: number): SelectQueryBuilder<Project> {
    return this.projects
      .createQueryBuilder('project')
      .innerJoin(
        ProjectMember,
        'membership',
        'membership.projectId = project.id AND membership.memberId = :memberId',
        { memberId },
      )
      .leftJoin(
        ProjectCollection,
        'collection',
        'collection.projectId = project.id AND collection.memberId = :memberId',
      )
      .addSelect('membership.role', 'membership_role')
      .addSelect('collection.id', 'collection_id');
  }

  private static rows(result: {
    entities: Project[];
    raw: Record<string, unknown>[];
  }): ProjectOfMember[] {
    const byId = new Map(result.raw.map((raw) => [Number(raw.project_id), raw]));
    return result.entities.map((project) => {
      const raw = byId.get(project.id)!;
      return {
        project,
        role: raw.membership_role as ProjectRole,
        collected: raw.collection_id !== null && raw.collection_id !== undefined,
      };
    });
  }

  /** The project with the member's role in it; null when absent or not theirs to see. */
  async findOfMember(projectId: number, memberId: number): Promise<ProjectOfMember | null> {
    const result = await this.listQuery(memberId)
      .andWhere('project.id = :projectId', { projectId })
      .getRawAndEntities();
    return ProjectRepository.rows(result)[0] ?? null;
  }

  /** A page of the member's list; the total is the list's counter (see list-totals.ts). */
  async listForMember(
    memberId: number,
    filter: ProjectFilter,
    paging: Paging,
  ): Promise<{ rows: ProjectOfMember[]; total: number }> {
    const list: ListName =
      filter === 'collected' ? 'projects:collected' : stateList(FILTER_STATE[filter]);
    const parameters =
      filter === 'collected'
        ? [memberId, paging.pageSize, offset(paging)]
        : [memberId, FILTER_STATE[filter], paging.pageSize, offset(paging)];
    const toProject = hydrator(this.dataSource, Project);
    return onReadRunner(this.dataSource, async (query) => {
      const [raw, total] = await Promise.all([
        query(PROJECT_LIST_SQL[filter], parameters) as Promise<Record<string, unknown>[]>,
        readTotal(query, memberId, list),
      ]);
      const rows = raw.map((row) => ({
        project: toProject(row),
        role: row.membership_role as ProjectRole,
        collected: row.collection_id !== null && row.collection_id !== undefined,
      }));
      return { rows, total };
    });
  }

  /**
   * A change of the archived or recycled flag moves the project between its members' lists:
   * their memberships' projectState and their lists' counters change with it, under the
   * project's row lock (which every change of its members, and of its tasks' places on "my
   * tasks" lists, also takes): recycling takes its tasks off every member's lists. Their
   * activity feeds keep the project's entries either way.
   */
  async update(projectId: number, changes: ProjectChanges): Promise<void> {
    if (changes.archived === undefined && changes.deleted === undefined) {
      await this.projects.update({ id: projectId }, changes);
      return;
    }
    await this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project) return;
      await manager.update(Project, { id: projectId }, changes);
      const before = projectState(project);
      const after = projectState({ ...project, ...changes });
      if (before === after) return;
      const recycling = (before === 'recycled') !== (after === 'recycled');
      const listedTasks = recycling ? await countTaskLists(manager, { projectId }) : [];
      await manager.update(ProjectMember, { projectId }, { projectState: after });
      await addToTotalsOfProjectMembers(manager, projectId, stateList(before), -1);
      await addToTotalsOfProjectMembers(manager, projectId, stateList(after), 1);
      if (recycling) {
        const delta = after === 'recycled' ? -1 : 1;
        await addToTotalsOfProjectMembers(manager, projectId, 'projects:collected', delta, true);
        // Its tasks leave every member's "my tasks" lists, or come back to them.
        const nowListed = await countTaskLists(manager, { projectId });
        await addToTotals(manager, [...nowListed, ...negated(listedTasks)]);
      }
    });
  }

  async memberIdsOf(projectId: number): Promise<number[]> {
    const rows = await this.members.find({ select: { memberId: true }, where: { projectId } });
    return rows.map((row) => row.memberId);
  }

  async roleOf(projectId: number, memberId: number): Promise<ProjectRole | null> {
    const row = await this.members.findOne({
      select: { role: true },
      where: { projectId, memberId },
    });
    return row?.role ?? null;
  }

  async listMembers(
    projectId: number,
    paging: Paging,
  ): Promise<{ rows: MemberRow[]; total: number }> {
    const [rows, total] = await this.members.findAndCount({
      select: { memberId: true, role: true, joinedAt: true },
      where: { projectId },
      order: { id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /**
   * Idempotent: adding a member twice leaves one row. With `alongside` (telling the new
   * member) in the same transaction.
   */
  async addMember(
    projectId: number,
    memberId: number,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project) return;
      const joined = !(await manager.existsBy(ProjectMember, { projectId, memberId }));
      if (joined) {
        const state = projectState(project);
        await manager.insert(ProjectMember, {
          projectId,
          memberId,
          role: 'member',
          projectState: state,
        });
        // The project's entries that they may see join their feed.
        await addToTotals(manager, [
          { memberId, list: stateList(state), delta: 1 },
          {
            memberId,
            list: 'activity',
            delta: await joinProjectFeed(manager, projectId, memberId),
          },
        ]);
      }
      await alongside?.(manager);
      if (!joined) return;
      // Their tasks of the project (from an earlier membership) are on their lists again.
      await addToTotals(manager, await countTaskLists(manager, { projectId, memberId }));
    });
  }

  /** Those of `memberIds` who are members of the project. */
  async membersAmong(projectId: number, memberIds: number[]): Promise<number[]> {
    const rows = await this.members.find({
      select: { memberId: true },
      where: { projectId, memberId: In(memberIds) },
    });
    return rows.map((row) => row.memberId);
  }

  /**
   * Leaves the member's task memberships in place: history keeps its names. With `alongside`
   * (what leaving does to the member's tasks) in the same transaction. The project's entries
   * leave their feed.
   */
  async removeMember(
    projectId: number,
    memberId: number,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project) return;
      // Their tasks of the project leave their "my tasks" lists (counted while still a member,
      // before `alongside` unassigns any).
      const listedTasks = await countTaskLists(manager, { projectId, memberId });
      await alongside?.(manager);
      const state = projectState(project);
      const changes: TotalChange[] = [];
      if (await manager.existsBy(ProjectMember, { projectId, memberId })) {
        const feedShare = await leaveProjectFeed(manager, projectId, memberId);
        await manager.delete(ProjectMember, { projectId, memberId });
        changes.push({ memberId, list: stateList(state), delta: -1 });
        changes.push({ memberId, list: 'activity', delta: -feedShare });
      }
      if (await manager.existsBy(ProjectCollection, { projectId, memberId })) {
        await manager.delete(ProjectCollection, { projectId, memberId });
        if (state !== 'recycled') changes.push({ memberId, list: 'projects:collected', delta: -1 });
      }
      await addToTotals(manager, changes);
      await addToTotals(manager, negated(listedTasks));
    });
  }

  /**
   * Deletes a recycled project for good under its row lock: `purgeTasks` first (its tasks and
   * what hangs on them), then its version libraries and versions, its task tags, its stages, its activity, its favourites and its members, each
   * member's recycle bin total one smaller. Whether it is still in the bin is read under the
   * lock: a project restored meanwhile is left alone (409).
   */
  async deleteForGood(
    projectId: number,
    purgeTasks: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project) throw Problem.notFound('project not found');
      if (!project.deleted) throw projectNotRecycled();
      // Each member's feed loses every entry of the project they see.
      const feeds: TotalChange[] = [];
      const members = await manager.find(ProjectMember, {
        select: { memberId: true },
        where: { projectId },
      });
      for (const { memberId } of members) {
        const share = await leaveProjectFeed(manager, projectId, memberId);
        if (share) feeds.push({ memberId, list: 'activity', delta: -share });
      }
      await addToTotals(manager, feeds);
      // Its tasks are on no "my tasks" list (its memberships are recycled): no total changes.
      await purgeTasks(manager);
      const versions = await manager.find(ProjectVersion, {
        select: { id: true },
        where: { projectId },
      });
      if (versions.length > 0) {
        await manager.delete(VersionLog, { versionId: In(versions.map(({ id }) => id)) });
      }
      await manager.delete(ProjectVersion, { projectId });
      await manager.delete(ProjectFeature, { projectId });
      // Its tasks went with their tags (purgeTasks): the tags go now, with any link left.
      const tags = await manager.find(TaskTag, { select: { id: true }, where: { projectId } });
      if (tags.length > 0) {
        await manager.delete(TaskTagLink, { tagId: In(tags.map(({ id }) => id)) });
      }
      await manager.delete(TaskTag, { projectId });
      await manager.delete(TaskStage, { projectId });
      await manager.delete(Activity, { projectId });
      await addToTotalsOfProjectMembers(manager, projectId, stateList('recycled'), -1);
      // A recycled project's favourites are not counted (projects:collected): no total changes.
      await manager.delete(ProjectCollection, { projectId });
      await manager.delete(ProjectMember, { projectId });
      await manager.delete(Project, { id: projectId });
    });
  }

  /** A member's favourite; a project they are not (or no longer) a member of is left alone. */
  async setCollected(projectId: number, memberId: number, collected: boolean): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project || !(await manager.existsBy(ProjectMember, { projectId, memberId }))) return;
      if (collected === (await manager.existsBy(ProjectCollection, { projectId, memberId }))) {
        return;
      }
      if (collected) await manager.insert(ProjectCollection, { projectId, memberId });
      else await manager.delete(ProjectCollection, { projectId, memberId });
      if (projectState(project) !== 'recycled') {
        await addToTotals(manager, [
          { memberId, list: 'projects:collected', delta: collected ? 1 : -1 },
        ]);
      }
    });
  }

  /**
   * A template a project of the organization may start from: a system one, one of the
   * organization's, or one the member made outside any organization.
   */
  async findUsableTemplate(
    templateId: number,
    memberId: number,
    organizationId: number | null,
  ): Promise<ProjectTemplate | null> {
    return this.templates.findOne({
      where: [
        { id: templateId, isSystem: true },
        { id: templateId, memberId, organizationId: IsNull() },
        ...(organizationId === null ? [] : [{ id: templateId, organizationId }]),
      ],
    });
  }

  /**
   * The templates `POST /projects` may start from: the system ones and the member's own (those
   * of their personal organization, and any they made outside an organization).
   */
  async listTemplates(
    memberId: number,
    personalOrganizationId: number | null,
    scope: 'all' | 'mine' | 'system',
    paging: Paging,
  ): Promise<{ rows: { template: ProjectTemplate; stages: string[] }[]; total: number }> {
    const own = [
      { memberId, organizationId: IsNull(), isSystem: false },
      ...(personalOrganizationId === null
        ? []
        : [{ organizationId: personalOrganizationId, isSystem: false }]),
    ];
    const where =
      scope === 'system'
        ? [{ isSystem: true }]
        : scope === 'mine'
          ? own
          : [{ isSystem: true }, ...own];
    const [templates, total] = await this.templates.findAndCount({
      where,
      order: { isSystem: 'DESC', sort: 'ASC', id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    const stages = templates.length
      ? await this.stageTemplates.find({
          where: { templateId: In(templates.map((template) => template.id)) },
          order: { sort: 'ASC', id: 'ASC' },
        })
      : [];
    return {
      rows: templates.map((template) => ({
        template,
        stages: stages
          .filter((stage) => stage.templateId === template.id)
          .map((stage) => stage.name),
      })),
      total,
    };
  }
}
