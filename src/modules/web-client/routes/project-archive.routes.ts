import { z } from 'zod';
import { clientRoute, subjectCode } from '../client-route';
import { clientProject } from '../client-views';

const PROJECT_DATA = "a project's data, under its membership";

const projectCode = z.object({ projectCode: subjectCode('project') });

export const PROJECT_ARCHIVE_ROUTES = [
  clientRoute({
    path: 'project/project/archive',
    summary: 'Archive a project (owner only)',
    uses: 'ProjectService.setArchived',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: projectCode,
    async handle({ params, memberId, services, timeZone }) {
      return clientProject(
        await services.projects.setArchived(memberId, params.projectCode, true),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/project/recoveryArchive',
    summary: 'Take a project out of the archive (owner only)',
    uses: 'ProjectService.setArchived',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: projectCode,
    async handle({ params, memberId, services, timeZone }) {
      return clientProject(
        await services.projects.setArchived(memberId, params.projectCode, false),
        timeZone,
      );
    },
  }),
];
