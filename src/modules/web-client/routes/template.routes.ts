import { z } from 'zod';
import { text } from '@/common/schema-types';
import { clientRoute, formInt, formPage, subjectCode } from '../client-route';
import { clientCover, storedCover } from '../client-cover';
import { clientPage, clientTemplate, clientTemplateStage } from '../client-views';

const SCOPE_BY_VIEW_TYPE = { '-1': 'all', '0': 'organization', '1': 'system' } as const;

const cover = clientCover;

/** A stage's place in its template; '' (the form's empty field) is no place given. */
const stageSort = z
  .literal('')
  .transform(() => undefined)
  .or(formInt({ min: 0, max: 1_000_000 }));

/**
 * The template pages (project/template, project/template/taskstages/:code) and the create
 * dialog's template list: the current organization's templates beside the system ones, which
 * are listed and read-only.
 */
export const TEMPLATE_ROUTES = [
  clientRoute({
    path: 'project/project_template',
    summary:
      "Templates to start a project from: the system ones and the organization's (viewType -1), the organization's (0) or system (1)",
    uses: 'ProjectTemplateService.list',
    status: 'full',
    scope: { orgPermission: 'project/project_template/index' },
    params: z.object({ viewType: z.enum(['-1', '0', '1']).default('-1'), ...formPage }),
    async handle(call) {
      const { params } = call;
      const page = await call.services.templates.list(await call.organization(), {
        scope: SCOPE_BY_VIEW_TYPE[params.viewType],
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (template) => clientTemplate(template, call.timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_template/save',
    summary: 'Make a project template of the organization (no stages yet)',
    uses: 'ProjectTemplateService.create',
    status: 'full',
    scope: { orgPermission: 'project/project_template' },
    params: z.object({
      name: text({ max: 90, required: true }),
      description: text({ max: 500, multiline: true }).optional(),
      cover: cover.optional(),
    }),
    async handle(call) {
      const { params } = call;
      const template = await call.services.templates.create(
        call.memberId,
        await call.organization(),
        {
          name: params.name,
          description: params.description || undefined,
          cover: params.cover === undefined ? undefined : (storedCover(params.cover) ?? undefined),
        },
      );
      return clientTemplate(template, call.timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_template/edit',
    summary: "Change one of the organization's templates (system ones are read-only)",
    uses: 'ProjectTemplateService.update',
    status: 'full',
    scope: { orgPermission: 'project/project_template' },
    params: z.object({
      code: subjectCode('template'),
      name: text({ max: 90, required: true }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
      cover: cover.optional(),
    }),
    async handle(call) {
      const { code: templateId, name, description, cover: picture } = call.params;
      const organizationId = await call.organization();
      const changes = {
        ...(name === undefined ? {} : { name }),
        ...(description === undefined ? {} : { description: description || null }),
        ...(picture === undefined ? {} : { cover: storedCover(picture) }),
      };
      const template =
        Object.keys(changes).length > 0
          ? await call.services.templates.update(organizationId, templateId, changes)
          : await call.services.templates.get(organizationId, templateId);
      return clientTemplate(template, call.timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_template/delete',
    summary:
      "Delete one of the organization's templates (system ones are read-only); projects made from it keep their stages",
    uses: 'ProjectTemplateService.delete',
    status: 'full',
    scope: { orgPermission: 'project/project_template' },
    params: z.object({ code: subjectCode('template') }),
    async handle(call) {
      await call.services.templates.delete(await call.organization(), call.params.code);
      return [];
    },
  }),
  clientRoute({
    path: 'project/task_stages_template',
    summary: 'The stages a template gives a new project, in order',
    uses: 'ProjectTemplateService.stages',
    status: 'full',
    scope: { orgPermission: 'project/task_stages_template/index' },
    params: z.object({ code: subjectCode('template'), ...formPage }),
    async handle(call) {
      const { code: templateId, ...paging } = call.params;
      const page = await call.services.templates.stages(
        await call.organization(),
        templateId,
        paging,
      );
      return clientPage(page, (stage) => clientTemplateStage(stage, call.timeZone));
    },
  }),
  clientRoute({
    path: 'project/task_stages_template/save',
    summary:
      "Add a stage to one of the organization's templates (after its last when sort is empty)",
    uses: 'ProjectTemplateService.addStage',
    status: 'full',
    note: "sort: a lower one comes first (the form's hint says a higher one does); its template's projects keep theirs",
    scope: { orgPermission: 'project/task_stages_template' },
    params: z.object({
      template_code: subjectCode('template'),
      name: text({ max: 50, required: true }),
      sort: stageSort.optional(),
    }),
    async handle(call) {
      const { template_code: templateId, name, sort } = call.params;
      const stage = await call.services.templates.addStage(await call.organization(), templateId, {
        name,
        ...(sort === undefined ? {} : { sort }),
      });
      return clientTemplateStage(stage, call.timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_stages_template/edit',
    summary: "Rename or move a stage of one of the organization's templates",
    uses: 'ProjectTemplateService.updateStage',
    status: 'full',
    note: "sort: a lower one comes first (the form's hint says a higher one does); its template's projects keep theirs",
    scope: { orgPermission: 'project/task_stages_template' },
    params: z.object({
      // The form also sends its template_code: the stage names its template already.
      code: subjectCode('templateStage'),
      name: text({ max: 50, required: true }).optional(),
      sort: stageSort.optional(),
    }),
    async handle(call) {
      const { code: stageId, name, sort } = call.params;
      const changes = {
        ...(name === undefined ? {} : { name }),
        ...(sort === undefined ? {} : { sort }),
      };
      const organizationId = await call.organization();
      const stage =
        Object.keys(changes).length > 0
          ? await call.services.templates.updateStage(organizationId, stageId, changes)
          : await call.services.templates.getStage(organizationId, stageId);
      return clientTemplateStage(stage, call.timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_stages_template/delete',
    summary: "Take a stage out of one of the organization's templates",
    uses: 'ProjectTemplateService.deleteStage',
    status: 'full',
    scope: { orgPermission: 'project/task_stages_template' },
    params: z.object({ code: subjectCode('templateStage') }),
    async handle(call) {
      await call.services.templates.deleteStage(await call.organization(), call.params.code);
      return [];
    },
  }),
];
