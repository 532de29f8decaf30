import { z } from 'zod';
import { clientRoute, subjectCode } from '../client-route';
import { clientProject } from '../client-views';

const PROJECT_DATA = "a project's data, under its membership";

export const PROJECT_ARCHIVE_ROUTES = [
  { path: 'project/project/archive', summary: 'Archive a project (owner only)', archived: true },
  {
    path: 'project/project/recoveryArchive',
    summary: 'Take a project out of the archive (owner only)',
    archived: false,
  },
].map(({ path, summary, archived }) =>
  clientRoute({
    path,
    summary,
    uses: 'ProjectService.setArchived',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const project = await services.projects.setArchived(memberId, params.projectCode, archived);
      return clientProject(project, timeZone);
    },
  }),
);
