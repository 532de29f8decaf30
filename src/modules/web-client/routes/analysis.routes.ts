import { z } from 'zod';
import { clientRoute, formInt } from '../client-route';

/** `2026-03` → `03月`, as the analysis page labels its months. */
const monthLabel = (month: string) => `${month.slice(5, 7)}月`;

/** `2026-03-07` → `03月7日`, as the analysis page labels its days. */
const dayLabel = (date: string) => `${date.slice(5, 7)}月${Number(date.slice(8, 10))}日`;

export const ANALYSIS_ROUTES = [
  clientRoute({
    path: 'project/project/analysis',
    summary:
      'The analysis page (项目分析): my projects in the current organization and their tasks, counted and charted',
    uses: 'ProjectAnalysisService.analyse',
    status: 'full',
    note: "over my projects in the organization that are not in the recycle bin, and their tasks I can see; months of this year and days of this month in webClient.timeZone; the page's other figures (本月立项, 今日任务, the trends) are its own constants",
    scope: { orgPermission: 'project/project/index' },
    params: z.object({ type: formInt({ min: 0, max: 10 }).optional() }),
    async handle({ memberId, services, organization, timeZone }) {
      const analysis = await services.projectAnalysis.analyse(memberId, await organization(), {
        timeZone,
      });
      return {
        projectCount: analysis.projectCount,
        projectSchedule: analysis.projectSchedule,
        projectList: analysis.projectsByMonth.map((row) => ({
          日期: monthLabel(row.month),
          数量: row.created,
        })),
        taskCount: analysis.taskCount,
        taskOverdueCount: analysis.taskOverdueCount,
        taskOverduePercent: analysis.taskOverduePercent,
        taskList: analysis.tasksByDay.map((row) => ({
          日期: dayLabel(row.date),
          任务: row.created,
        })),
      };
    },
  }),
];
