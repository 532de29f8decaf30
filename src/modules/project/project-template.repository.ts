import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { BoardLocks } from './board-locks';
import type { Paging } from './dto/project.schemas';
import { ProjectTemplate, StageTemplate } from './entities';

/** Which templates an organization's list shows. */
export type OrganizationTemplateScope = 'all' | 'organization' | 'system';

export interface NewTemplate {
  name: string;
  description: string | null;
  cover: string | null;
  memberId: number;
  organizationId: number;
  stages: string[];
}

export type TemplateChanges = Partial<Pick<ProjectTemplate, 'name' | 'description' | 'cover'>>;

export type TemplateStageChanges = Partial<Pick<StageTemplate, 'name' | 'sort'>>;

const offset = ({ page, pageSize }: Paging) => (page - 1) * pageSize;

/** An organization's project templates and their stages, beside the seeded system ones. */
@Injectable()
export class ProjectTemplateRepository {
  constructor(
    @InjectRepository(ProjectTemplate) private readonly templates: Repository<ProjectTemplate>,
    @InjectRepository(StageTemplate) private readonly stages: Repository<StageTemplate>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: BoardLocks,
  ) {}

  async listForOrganization(
    organizationId: number,
    scope: OrganizationTemplateScope,
    paging: Paging,
  ): Promise<{ rows: { template: ProjectTemplate; stages: string[] }[]; total: number }> {
    const own = { organizationId, isSystem: false };
    const where =
      scope === 'system'
        ? [{ isSystem: true }]
        : scope === 'organization'
          ? [own]
          : [{ isSystem: true }, own];
    const [templates, total] = await this.templates.findAndCount({
      where,
      order: { isSystem: 'DESC', sort: 'ASC', id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    const stages = templates.length
      ? await this.stages.find({
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

  /** A template the organization sees: a system one or its own. */
  findVisible(templateId: number, organizationId: number): Promise<ProjectTemplate | null> {
    return this.templates.findOne({
      where: [
        { id: templateId, isSystem: true },
        { id: templateId, organizationId, isSystem: false },
      ],
    });
  }

  stageNames(templateId: number): Promise<string[]> {
    return this.stages
      .find({ where: { templateId }, order: { sort: 'ASC', id: 'ASC' } })
      .then((rows) => rows.map((row) => row.name));
  }

  /** The template with its stages, in order: all or nothing. */
  create(input: NewTemplate): Promise<ProjectTemplate> {
    return this.dataSource.transaction(async (manager) => {
      const { stages, ...fields } = input;
      const template = await manager.save(
        ProjectTemplate,
        manager.create(ProjectTemplate, { ...fields, isSystem: false }),
      );
      if (stages.length) {
        await manager.insert(
          StageTemplate,
          stages.map((name, sort) => ({ templateId: template.id, name, sort })),
        );
      }
      return template;
    });
  }

  async update(templateId: number, changes: TemplateChanges): Promise<void> {
    if (Object.keys(changes).length) await this.templates.update({ id: templateId }, changes);
  }

  /** The template and its stages; projects made from it keep theirs. */
  delete(templateId: number): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await manager.delete(StageTemplate, { templateId });
      await manager.delete(ProjectTemplate, { id: templateId, isSystem: false });
    });
  }

  async listStages(
    templateId: number,
    paging: Paging,
  ): Promise<{ rows: StageTemplate[]; total: number }> {
    const [rows, total] = await this.stages.findAndCount({
      where: { templateId },
      order: { sort: 'ASC', id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  findStage(stageId: number): Promise<StageTemplate | null> {
    return this.stages.findOne({ where: { id: stageId } });
  }

  /** A new stage; without a sort it goes after the template's last. */
  addStage(templateId: number, name: string, sort: number | undefined): Promise<StageTemplate> {
    return this.locks.transaction(async (manager) => {
      // The template row locked: two additions at once do not take the same place.
      await this.locks.lock(manager, ProjectTemplate, templateId);
      let place = sort;
      if (place === undefined) {
        const last = await manager.findOne(StageTemplate, {
          where: { templateId },
          order: { sort: 'DESC', id: 'DESC' },
        });
        place = last ? last.sort + 1 : 0;
      }
      return manager.save(
        StageTemplate,
        manager.create(StageTemplate, { templateId, name, sort: place }),
      );
    });
  }

  async updateStage(stageId: number, changes: TemplateStageChanges): Promise<void> {
    if (Object.keys(changes).length) await this.stages.update({ id: stageId }, changes);
  }

  async deleteStage(stageId: number): Promise<void> {
    await this.stages.delete({ id: stageId });
  }

  /** The template's stages become exactly these names, in this order. */
  setStages(templateId: number, names: string[]): Promise<void> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, ProjectTemplate, templateId);
      await manager.delete(StageTemplate, { templateId });
      if (names.length) {
        await manager.insert(
          StageTemplate,
          names.map((name, sort) => ({ templateId, name, sort })),
        );
      }
    });
  }
}
