/** What a project's task statistics are made from: one row per task on the board. */
export interface TaskFacts {
  done: boolean;
  doneAt: Date | null;
  endAt: Date | null;
  assigneeId: number | null;
  createdAt: Date;
}

export interface TaskStatsDay {
  /** `YYYY-MM-DD` in the asked zone. */
  date: string;
  /** Tasks created that day. */
  created: number;
  /** Tasks created by the end of that day and not done by then. */
  undone: number;
}

export interface TaskStats {
  total: number;
  undone: number;
  done: number;
  /** Not done, past their end time. */
  overdue: number;
  /** Not done, nobody assigned. */
  unassigned: number;
  /** Not done, ending today. */
  dueToday: number;
  /** Done after their end time. */
  doneOverdue: number;
  /** The last `days` days, today last. */
  days: TaskStatsDay[];
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `instant` in `zone`, `YYYY-MM-DD` (so that days compare as text). */
export function dayIn(instant: Date, zone: string): string {
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The `count` calendar days up to and including `today`, oldest first. */
export function daysUpTo(today: string, count: number): string[] {
  const [year, month, day] = today.split('-').map(Number);
  return Array.from({ length: count }, (_, index) =>
    new Date(Date.UTC(year, month - 1, day - (count - 1 - index))).toISOString().slice(0, 10),
  );
}

/**
 * Counts by state at `now`, and per day of the last `days` days in `zone`: the tasks created,
 * and those open at the day's end (created by then, not done by then).
 */
export function taskStats(tasks: TaskFacts[], now: Date, zone: string, days: number): TaskStats {
  const today = dayIn(now, zone);
  const stats: TaskStats = {
    total: tasks.length,
    undone: 0,
    done: 0,
    overdue: 0,
    unassigned: 0,
    dueToday: 0,
    doneOverdue: 0,
    days: daysUpTo(today, days).map((date) => ({ date, created: 0, undone: 0 })),
  };
  for (const task of tasks) {
    if (task.done) {
      stats.done++;
      if (task.endAt && task.doneAt && task.doneAt > task.endAt) stats.doneOverdue++;
    } else {
      stats.undone++;
      if (task.assigneeId === null) stats.unassigned++;
      if (task.endAt && task.endAt < now) stats.overdue++;
      if (task.endAt && dayIn(task.endAt, zone) === today) stats.dueToday++;
    }
    const created = dayIn(task.createdAt, zone);
    // A task done without a time on record counts as done all along.
    const doneOn = task.done ? (task.doneAt ? dayIn(task.doneAt, zone) : '') : undefined;
    for (const day of stats.days) {
      if (created === day.date) day.created++;
      if (created <= day.date && (doneOn === undefined || doneOn > day.date)) day.undone++;
    }
  }
  return stats;
}
