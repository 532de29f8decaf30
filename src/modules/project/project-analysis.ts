import { dayIn } from './task-stats';

/** What the analysis counts of a project. */
export interface AnalysedProject {
  createdAt: Date;
  /** Its schedule, or its completion when it follows its tasks: a whole percentage. */
  schedule: number;
}

/** What the analysis counts of a task. */
export interface AnalysedTask {
  done: boolean;
  doneAt: Date | null;
  endAt: Date | null;
  createdAt: Date;
}

export interface ProjectAnalysis {
  projectCount: number;
  /** The projects' mean schedule, a whole percentage (0 with no project). */
  projectSchedule: number;
  /** Each month of this year up to this one (`YYYY-MM` in the zone): projects created then. */
  projectsByMonth: { month: string; created: number }[];
  taskCount: number;
  /** Not done and past their end, or done after it. */
  taskOverdueCount: number;
  /** taskOverdueCount among all tasks, a whole percentage (0 with no task). */
  taskOverduePercent: number;
  /** Each day of this month up to today (`YYYY-MM-DD` in the zone): tasks created then. */
  tasksByDay: { date: string; created: number }[];
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 100) / whole);
}

/** True when a task missed its end: still open past it, or done after it. */
export function isOverdue(task: AnalysedTask, now: Date): boolean {
  if (!task.endAt) return false;
  if (!task.done) return task.endAt < now;
  return task.doneAt !== null && task.doneAt > task.endAt;
}

/** The overview of an organization's projects and their tasks at `now`, calendar in `zone`. */
export function projectAnalysis(
  projects: AnalysedProject[],
  tasks: AnalysedTask[],
  now: Date,
  zone: string,
): ProjectAnalysis {
  const today = dayIn(now, zone);
  const [year, month, day] = today.split('-');
  const projectsByMonth = Array.from({ length: Number(month) }, (_, index) => ({
    month: `${year}-${String(index + 1).padStart(2, '0')}`,
    created: 0,
  }));
  for (const project of projects) {
    const created = dayIn(project.createdAt, zone).slice(0, 7);
    const entry = projectsByMonth.find((row) => row.month === created);
    if (entry) entry.created++;
  }
  const tasksByDay = Array.from({ length: Number(day) }, (_, index) => ({
    date: `${year}-${month}-${String(index + 1).padStart(2, '0')}`,
    created: 0,
  }));
  let overdue = 0;
  for (const task of tasks) {
    if (isOverdue(task, now)) overdue++;
    const created = dayIn(task.createdAt, zone);
    const entry = tasksByDay.find((row) => row.date === created);
    if (entry) entry.created++;
  }
  const scheduleSum = projects.reduce((sum, project) => sum + project.schedule, 0);
  return {
    projectCount: projects.length,
    projectSchedule: projects.length === 0 ? 0 : Math.round(scheduleSum / projects.length),
    projectsByMonth,
    taskCount: tasks.length,
    taskOverdueCount: overdue,
    taskOverduePercent: percent(overdue, tasks.length),
    tasksByDay,
  };
}
