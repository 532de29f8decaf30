import { z } from 'zod';
import { clientRoute, subjectCode } from '../client-route';

const PROJECT_DATA = "a project's own rules apply: its members, some operations only its owner";

/** Leaving a project, and deleting one for good from the recycle bin. */
export const PROJECT_EXIT_ROUTES = [
  clientRoute({
    path: 'project/project/quit',
    summary:
      'Leave a project (never its owner): your open tasks in it are unassigned, done ones keep you',
    uses: 'ProjectService.leave',
    status: 'full',
    note: 'answers unassignedTasks; task memberships, comments and work time stay as history',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services }) {
      return services.projects.leave(memberId, params.projectCode);
    },
  }),
  clientRoute({
    path: 'project/project/delete',
    summary:
      'Delete a project in the recycle bin for good, with its stages, tasks, files and activity (owner only)',
    uses: 'ProjectService.deleteForGood',
    status: 'full',
    note: 'a project out of the recycle bin is refused (409), as is anyone but its owner (403)',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services }) {
      await services.projects.deleteForGood(memberId, params.projectCode);
      return [];
    },
  }),
];
