import { z } from 'zod';
import {
  infoFieldDescription,
  infoFieldName,
  infoFieldValue,
} from '@/modules/project/dto/project-info.schemas';
import type { ProjectInfoFieldView } from '@/modules/project/dto/project-info.views';
import { clientRoute, subjectCode } from '../client-route';
import { clientTime } from '../client-time';

const PROJECT_RULES = "a project's own rules apply: its members, some operations only its owner";

/** A field as the Overview's "project information" list reads it: code, name, value, description. */
function clientInfoField(field: ProjectInfoFieldView, zone: string) {
  return {
    id: field.id,
    code: field.id,
    name: field.name,
    value: field.value,
    description: field.description ?? '',
    sort: field.sort,
    project_code: field.projectId,
    create_time: clientTime(field.createdAt, zone),
    update_time: clientTime(field.updatedAt, zone),
  };
}

/** The Overview's custom project information fields: list, add, edit, delete. */
export const PROJECT_INFO_ROUTES = [
  clientRoute({
    path: 'project/project_info',
    summary: "The Overview's custom information fields of a project, by sort then oldest first",
    uses: 'ProjectInfoService.listFields',
    status: 'full',
    scope: { notOrgScoped: PROJECT_RULES },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.projectInfo.listFields(memberId, params.projectCode);
      return items.map((field) => clientInfoField(field, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_info/save',
    summary: 'Add a custom information field to a project, after its last one (owner only)',
    uses: 'ProjectInfoService.createField',
    status: 'full',
    scope: { notOrgScoped: PROJECT_RULES },
    // The form also sends `code`, empty for a new field: ignored.
    params: z.object({
      projectCode: subjectCode('project'),
      name: infoFieldName,
      value: infoFieldValue.optional(),
      description: infoFieldDescription.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const field = await services.projectInfo.createField(memberId, params.projectCode, {
        name: params.name,
        value: params.value,
        description: params.description || undefined,
      });
      return clientInfoField(field, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_info/edit',
    summary:
      "Change a custom information field's name, value and description (empty clears them; owner only)",
    uses: 'ProjectInfoService.updateField',
    status: 'full',
    scope: { notOrgScoped: PROJECT_RULES },
    // The form also sends the field's `projectCode`: the field names its project.
    params: z.object({
      infoCode: subjectCode('projectInfo'),
      name: infoFieldName,
      value: infoFieldValue.optional(),
      description: infoFieldDescription.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const field = await services.projectInfo.updateField(memberId, params.infoCode, {
        name: params.name,
        ...(params.value !== undefined && { value: params.value }),
        ...(params.description !== undefined && { description: params.description || null }),
      });
      return clientInfoField(field, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_info/delete',
    summary: 'Delete a custom information field (owner only)',
    uses: 'ProjectInfoService.deleteField',
    status: 'full',
    scope: { notOrgScoped: PROJECT_RULES },
    params: z.object({ infoCode: subjectCode('projectInfo') }),
    async handle({ params, memberId, services }) {
      await services.projectInfo.deleteField(memberId, params.infoCode);
      return [];
    },
  }),
];
