import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayIn, daysUpTo, taskStats, type TaskFacts } from '@/modules/project/task-stats';

const at = (iso: string) => new Date(iso);

function task(facts: Partial<TaskFacts>): TaskFacts {
  return {
    done: false,
    doneAt: null,
    endAt: null,
    assigneeId: 1,
    createdAt: at('2024-03-01T00:00:00Z'),
    ...facts,
  };
}

describe("a project's task statistics", () => {
  it('reads calendar days in the asked zone', () => {
    const instant = at('2024-03-09T17:30:00Z');
    assert.equal(dayIn(instant, 'UTC'), '2024-03-09');
    assert.equal(dayIn(instant, 'Asia/Shanghai'), '2024-03-10');
    assert.equal(dayIn(instant, 'America/Los_Angeles'), '2024-03-09');
  });

  it('lists the days up to today across month and year ends', () => {
    assert.deepEqual(daysUpTo('2024-03-01', 3), ['2024-02-28', '2024-02-29', '2024-03-01']);
    assert.deepEqual(daysUpTo('2025-01-01', 2), ['2024-12-31', '2025-01-01']);
  });

  it('counts each state once, done late and due today included', () => {
    const now = at('2024-03-10T04:00:00Z'); // 12:00 in Shanghai
    const stats = taskStats(
      [
        task({ endAt: at('2024-03-08T00:00:00Z') }),
        task({ endAt: at('2024-03-10T10:00:00Z') }),
        task({ assigneeId: null }),
        task({ done: true, doneAt: at('2024-03-09T00:00:00Z'), endAt: at('2024-03-08T00:00:00Z') }),
        task({ done: true, doneAt: at('2024-03-07T00:00:00Z'), endAt: at('2024-03-08T00:00:00Z') }),
      ],
      now,
      'Asia/Shanghai',
      3,
    );
    assert.deepEqual(
      { ...stats, days: undefined },
      {
        total: 5,
        undone: 3,
        done: 2,
        overdue: 1,
        unassigned: 1,
        dueToday: 1,
        doneOverdue: 1,
        days: undefined,
      },
    );
  });

  it("counts per day the tasks created and those still open at the day's end", () => {
    const now = at('2024-03-10T12:00:00Z');
    const stats = taskStats(
      [
        task({ createdAt: at('2024-03-08T10:00:00Z') }),
        task({
          createdAt: at('2024-03-08T11:00:00Z'),
          done: true,
          doneAt: at('2024-03-09T09:00:00Z'),
        }),
        task({ createdAt: at('2024-03-10T08:00:00Z') }),
        // Before the series: open all along it.
        task({ createdAt: at('2024-02-01T00:00:00Z') }),
        // Done with no time on record: done all along.
        task({ createdAt: at('2024-02-01T00:00:00Z'), done: true }),
      ],
      now,
      'UTC',
      3,
    );
    assert.deepEqual(stats.days, [
      { date: '2024-03-08', created: 2, undone: 3 },
      { date: '2024-03-09', created: 0, undone: 2 },
      { date: '2024-03-10', created: 1, undone: 3 },
    ]);
  });
});
