import { z } from 'zod';
import { clientRoute, subjectCode } from '../client-route';
import type { WebClientCall } from '../web-client-call';

const PROJECT_DATA = "a project's data, under its membership";

/** The days the overview's charts cover, today last. */
const OVERVIEW_DAYS = 15;

const projectCode = z.object({ projectCode: subjectCode('project') });

/** The project's task statistics, its days in the client's zone. */
function statsOf({ params, memberId, services, timeZone }: WebClientCall<{ projectCode: number }>) {
  return services.taskStats.stats(memberId, params.projectCode, {
    days: OVERVIEW_DAYS,
    timeZone,
  });
}

/** The ideal burn-down: from the first day's open tasks straight to none on the last day. */
function baseLine(first: number, days: number): number[] {
  return Array.from({ length: days }, (_, index) =>
    days > 1 ? Math.round(((first * (days - 1 - index)) / (days - 1)) * 10) / 10 : 0,
  );
}

export const OVERVIEW_ROUTES = [
  clientRoute({
    path: 'project/project/_projectStats',
    summary:
      "The Overview's counts of the project's tasks I can see: total, undone, done, overdue, unassigned, due today, done late",
    uses: 'TaskStatsService.stats',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: projectCode,
    async handle(call) {
      const stats = await statsOf(call);
      return {
        total: stats.total,
        unDone: stats.undone,
        done: stats.done,
        overdue: stats.overdue,
        toBeAssign: stats.unassigned,
        expireToday: stats.dueToday,
        doneOverdue: stats.doneOverdue,
      };
    },
  }),
  clientRoute({
    path: 'project/task/dateTotalForProject',
    summary: "The Overview's chart: tasks created per day over the last 15 days",
    uses: 'TaskStatsService.stats',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: projectCode,
    async handle(call) {
      const stats = await statsOf(call);
      return stats.days.map((day) => ({ date: day.date, total: day.created }));
    },
  }),
  clientRoute({
    path: 'project/project/_getProjectReport',
    summary:
      "The Overview's burn-down: open tasks at each day's end over the last 15 days, and the ideal line to none",
    uses: 'TaskStatsService.stats',
    status: 'full',
    note: 'a task done and reopened counts as open from its creation (only the last done time is kept)',
    scope: { notOrgScoped: PROJECT_DATA },
    params: projectCode,
    async handle(call) {
      const { days } = await statsOf(call);
      return {
        date: days.map((day) => day.date),
        undoneTask: days.map((day) => day.undone),
        baseLineList: baseLine(days[0]?.undone ?? 0, days.length),
      };
    },
  }),
];
