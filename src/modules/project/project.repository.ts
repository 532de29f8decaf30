import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository, type SelectQueryBuilder } from 'typeorm';
import type { Paging, ProjectFilter } from './dto/project.schemas';
import type { ProjectOfMember } from './dto/project.views';
import {
  Project,
  ProjectCollection,
  ProjectMember,
  ProjectTemplate,
  StageTemplate,
  TaskStage,
  type ProjectRole,
} from './entities';

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

/** Projects, their members, collections and templates: the project module's tables, by intent. */
@Injectable()
export class ProjectRepository {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(ProjectMember) private readonly members: Repository<ProjectMember>,
    @InjectRepository(ProjectCollection)
    private readonly collections: Repository<ProjectCollection>,
    @InjectRepository(ProjectTemplate) private readonly templates: Repository<ProjectTemplate>,
    @InjectRepository(StageTemplate) private readonly stageTemplates: Repository<StageTemplate>,
    @InjectDataSource() private readonly dataSource: DataSource,
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
      });
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

  private static filtered(
    query: SelectQueryBuilder<Project>,
    filter: ProjectFilter,
  ): SelectQueryBuilder<Project> {
    switch (filter) {
      case 'mine':
        return query.andWhere('project.deleted = :no AND project.archived = :no', { no: false });
      case 'archived':
        return query.andWhere('project.deleted = :no AND project.archived = :yes', {
          no: false,
          yes: true,
        });
      case 'recycled':
        return query.andWhere('project.deleted = :yes', { yes: true });
      case 'collected':
        return query.andWhere('project.deleted = :no AND collection.id IS NOT NULL', { no: false });
    }
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

  async listForMember(
    memberId: number,
    filter: ProjectFilter,
    paging: Paging,
  ): Promise<{ rows: ProjectOfMember[]; total: number }> {
    const query = ProjectRepository.filtered(this.listQuery(memberId), filter);
    const [result, total] = await Promise.all([
      query
        .clone()
        .orderBy('project.id', 'DESC')
        .offset(offset(paging))
        .limit(paging.pageSize)
        .getRawAndEntities(),
      query.clone().getCount(),
    ]);
    return { rows: ProjectRepository.rows(result), total };
  }

  async update(projectId: number, changes: ProjectChanges): Promise<void> {
    await this.projects.update({ id: projectId }, changes);
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

  /** Idempotent: adding a member twice leaves one row. */
  /** With `alongside` (telling the new member) in the same transaction. */
  async addMember(
    projectId: number,
    memberId: number,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(ProjectMember)
        .values({ projectId, memberId, role: 'member' })
        .orIgnore()
        .execute();
      await alongside?.(manager);
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

  /** Leaves the member's task memberships in place: history keeps its names. */
  async removeMember(projectId: number, memberId: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(ProjectMember, { projectId, memberId });
      await manager.delete(ProjectCollection, { projectId, memberId });
    });
  }

  async setCollected(projectId: number, memberId: number, collected: boolean): Promise<void> {
    if (collected) {
      await this.collections
        .createQueryBuilder()
        .insert()
        .values({ projectId, memberId })
        .orIgnore()
        .execute();
    } else {
      await this.collections.delete({ projectId, memberId });
    }
  }

  /** A template the member may start from: a system one or one of their own. */
  async findUsableTemplate(templateId: number, memberId: number): Promise<ProjectTemplate | null> {
    return this.templates.findOne({
      where: [
        { id: templateId, isSystem: true },
        { id: templateId, memberId },
      ],
    });
  }

  async listTemplates(
    memberId: number,
    scope: 'all' | 'mine' | 'system',
    paging: Paging,
  ): Promise<{ rows: { template: ProjectTemplate; stages: string[] }[]; total: number }> {
    const where =
      scope === 'system'
        ? [{ isSystem: true }]
        : scope === 'mine'
          ? [{ memberId, isSystem: false }]
          : [{ isSystem: true }, { memberId }];
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
