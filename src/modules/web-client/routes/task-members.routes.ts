import { z } from 'zod';
import { decodeId } from '@/common/public-id';
import { MAX_TASK_MEMBERS } from '@/modules/project/dto/project.schemas';
import { clientRoute, code, flag, jsonList, subjectCode } from '../client-route';
import { clientPage, clientTask, clientTaskMember } from '../client-views';
import type { WebClientServices } from '../web-client-services';

/** The invite menu's "every project member" entry. */
const ALL = 'all';
const PAGE = 100;

/** Every member of the project, a page at a time. */
async function projectMemberIds(
  services: WebClientServices,
  memberId: number,
  projectId: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const found = await services.projects.members(memberId, projectId, { page, pageSize: PAGE });
    ids.push(...found.items.map((item) => item.member.id));
    if (page * PAGE >= found.total || found.items.length === 0) return ids;
  }
}

const TASK_DATA = "a task's data, under its project's membership";

/** Who is on a task, and who sees it. */
export const TASK_MEMBER_ROUTES = [
  clientRoute({
    path: 'project/task/setPrivate',
    summary:
      'Make a task private (private 1: seen only by its creator, its assignee and its task members) or open to the project again (0)',
    uses: 'TaskService.updateTask',
    status: 'full',
    note: 'only those on the task (creator, assignee, task members) change it: anyone else would hide it from themselves',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), private: flag }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.updateTask(memberId, params.taskCode, {
        private: params.private,
      });
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_member/inviteMemberBatch',
    summary:
      "The task's invite menu: memberCodes (a JSON list) names the members whose place on the task changes: those on it leave, the others join ('all': every project member joins)",
    uses: 'TaskService.listTaskMembers, ProjectService.members, TaskService.setTaskMembers',
    status: 'full',
    note: `the client sends the members it toggled, not the new list: the new list is the current one with those toggled, applied in one transaction; the task's creator stays on it; at most ${MAX_TASK_MEMBERS}, a lone JSON string counts as one`,
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCode: subjectCode('task'),
      memberCodes: jsonList(z.literal(ALL).or(code('member')), MAX_TASK_MEMBERS, { lone: true }),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.getTask(memberId, params.taskCode);
      const current = await services.tasks.listTaskMembers(memberId, params.taskCode, {
        page: 1,
        pageSize: MAX_TASK_MEMBERS,
      });
      const members = new Set(current.items.map((row) => decodeId(row.member.id, 'member')));
      const toggled = new Set(params.memberCodes);
      const everyone = toggled.delete(ALL);
      for (const id of toggled as Set<number>) {
        if (members.has(id)) members.delete(id);
        else members.add(id);
      }
      // "Every project member" wins over members toggled beside it.
      if (everyone) {
        const projectId = decodeId(task.projectId, 'project');
        for (const id of await projectMemberIds(services, memberId, projectId)) {
          members.add(decodeId(id, 'member'));
        }
      }
      const page = await services.tasks.setTaskMembers(memberId, params.taskCode, {
        memberIds: [...members],
      });
      return clientPage(page, (row) => clientTaskMember(row, timeZone));
    },
  }),
];
