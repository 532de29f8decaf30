import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import type {
  AddTemplateStageRequest,
  CreateTemplateRequest,
  ListOrganizationTemplatesQuery,
  Paging,
  SetTemplateStagesRequest,
  UpdateTemplateRequest,
  UpdateTemplateStageRequest,
} from './dto/project.schemas';
import {
  pageOf,
  templateStageView,
  templateView,
  type Page,
  type TemplateStageView,
  type TemplateView,
} from './dto/project.views';
import type { ProjectTemplate } from './entities';
import { ProjectTemplateRepository } from './project-template.repository';

/**
 * An organization's project templates and the stages each gives a new project. The seeded
 * system templates are seen by every organization and changed by none. Whether the member may
 * read or manage an organization's templates is the organization's rule
 * (project/project_template, project/task_stages_template), checked before these are called.
 */
@TracedService()
@Injectable()
export class ProjectTemplateService {
  constructor(private readonly templates: ProjectTemplateRepository) {}

  async list(
    organizationId: number,
    query: ListOrganizationTemplatesQuery,
  ): Promise<Page<TemplateView>> {
    const { rows, total } = await this.templates.listForOrganization(
      organizationId,
      query.scope,
      query,
    );
    return pageOf(
      rows.map((row) => templateView(row.template, row.stages)),
      total,
      query,
    );
  }

  async get(organizationId: number, templateId: number): Promise<TemplateView> {
    const template = await this.visible(organizationId, templateId);
    return templateView(template, await this.templates.stageNames(template.id));
  }

  async create(
    memberId: number,
    organizationId: number,
    request: CreateTemplateRequest,
  ): Promise<TemplateView> {
    const template = await this.templates.create({
      name: request.name,
      description: request.description || null,
      cover: request.cover ?? null,
      memberId,
      organizationId,
      stages: request.stages ?? [],
    });
    return this.get(organizationId, template.id);
  }

  async update(
    organizationId: number,
    templateId: number,
    request: UpdateTemplateRequest,
  ): Promise<TemplateView> {
    await this.changeable(organizationId, templateId);
    const changes: UpdateTemplateRequest = { ...request };
    if (changes.description === '') changes.description = null;
    await this.templates.update(templateId, changes);
    return this.get(organizationId, templateId);
  }

  async delete(organizationId: number, templateId: number): Promise<void> {
    await this.changeable(organizationId, templateId);
    await this.templates.delete(templateId);
  }

  async stages(
    organizationId: number,
    templateId: number,
    paging: Paging,
  ): Promise<Page<TemplateStageView>> {
    await this.visible(organizationId, templateId);
    const { rows, total } = await this.templates.listStages(templateId, paging);
    return pageOf(rows.map(templateStageView), total, paging);
  }

  async addStage(
    organizationId: number,
    templateId: number,
    request: AddTemplateStageRequest,
  ): Promise<TemplateStageView> {
    await this.changeable(organizationId, templateId);
    return templateStageView(await this.templates.addStage(templateId, request.name, request.sort));
  }

  /** The template's stages replaced by these names, in this order. */
  async setStages(
    organizationId: number,
    templateId: number,
    request: SetTemplateStagesRequest,
  ): Promise<Page<TemplateStageView>> {
    await this.changeable(organizationId, templateId);
    await this.templates.setStages(templateId, request.names);
    return this.stages(organizationId, templateId, { page: 1, pageSize: 50 });
  }

  async getStage(organizationId: number, stageId: number): Promise<TemplateStageView> {
    const stage = await this.templates.findStage(stageId);
    if (!stage || !(await this.templates.findVisible(stage.templateId, organizationId))) {
      throw Problem.notFound('template stage not found');
    }
    return templateStageView(stage);
  }

  async updateStage(
    organizationId: number,
    stageId: number,
    request: UpdateTemplateStageRequest,
  ): Promise<TemplateStageView> {
    const stage = await this.changeableStage(organizationId, stageId);
    await this.templates.updateStage(stage.id, request);
    return templateStageView({ ...stage, ...request });
  }

  async deleteStage(organizationId: number, stageId: number): Promise<void> {
    const stage = await this.changeableStage(organizationId, stageId);
    await this.templates.deleteStage(stage.id);
  }

  private async visible(organizationId: number, templateId: number): Promise<ProjectTemplate> {
    const template = await this.templates.findVisible(templateId, organizationId);
    if (!template) throw Problem.notFound('template not found');
    return template;
  }

  /** One of the organization's own templates; a system one is read-only. */
  private async changeable(organizationId: number, templateId: number): Promise<ProjectTemplate> {
    const template = await this.visible(organizationId, templateId);
    if (template.isSystem) {
      throw Problem.failedPrecondition('system templates are read-only', undefined, 'read_only');
    }
    return template;
  }

  private async changeableStage(organizationId: number, stageId: number) {
    const stage = await this.templates.findStage(stageId);
    if (!stage) throw Problem.notFound('template stage not found');
    const template = await this.templates.findVisible(stage.templateId, organizationId);
    if (!template) throw Problem.notFound('template stage not found');
    if (template.isSystem) {
      throw Problem.failedPrecondition('system templates are read-only', undefined, 'read_only');
    }
    return stage;
  }
}
