import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOverdue, projectAnalysis } from '@/modules/project/project-analysis';

const at = (text: string) => new Date(text);
const task = (fields: Partial<Parameters<typeof isOverdue>[0]> = {}) => ({
  done: false,
  doneAt: null,
  endAt: null,
  createdAt: at('2026-03-02T01:00:00Z'),
  ...fields,
});

describe('project analysis', () => {
  const now = at('2026-03-05T12:00:00Z');

  it('counts a task overdue when open past its end or done after it, never without an end', () => {
    assert.equal(isOverdue(task({ endAt: at('2026-03-04T00:00:00Z') }), now), true);
    assert.equal(isOverdue(task({ endAt: at('2026-03-06T00:00:00Z') }), now), false);
    assert.equal(
      isOverdue(
        task({ done: true, endAt: at('2026-03-01T00:00:00Z'), doneAt: at('2026-03-02T00:00:00Z') }),
        now,
      ),
      true,
    );
    assert.equal(
      isOverdue(
        task({ done: true, endAt: at('2026-03-03T00:00:00Z'), doneAt: at('2026-03-02T00:00:00Z') }),
        now,
      ),
      false,
    );
    assert.equal(isOverdue(task(), now), false);
  });

  it("series the year's months and the month's days in the zone, with whole percentages", () => {
    const analysis = projectAnalysis(
      [
        { createdAt: at('2026-01-10T00:00:00Z'), schedule: 10 },
        // 2026-02-28T20:00Z is already March 1st in Shanghai.
        { createdAt: at('2026-02-28T20:00:00Z'), schedule: 25 },
        { createdAt: at('2025-12-31T00:00:00Z'), schedule: 0 },
      ],
      [
        task({ endAt: at('2026-03-04T00:00:00Z') }),
        task({ createdAt: at('2026-03-04T17:00:00Z') }),
        task({ createdAt: at('2026-03-05T01:00:00Z') }),
      ],
      now,
      'Asia/Shanghai',
    );
    assert.deepEqual(analysis.projectsByMonth, [
      { month: '2026-01', created: 1 },
      { month: '2026-02', created: 0 },
      { month: '2026-03', created: 1 },
    ]);
    assert.equal(analysis.projectSchedule, 12, 'the mean of 10, 25 and 0, rounded');
    assert.equal(analysis.projectCount, 3);
    assert.deepEqual(
      analysis.tasksByDay.map((day) => day.created),
      [0, 1, 0, 0, 2],
    );
    assert.deepEqual([analysis.taskOverdueCount, analysis.taskOverduePercent], [1, 33]);
  });

  it('answers zeros, not NaN, with nothing to count', () => {
    const analysis = projectAnalysis([], [], now, 'UTC');
    assert.deepEqual(
      [analysis.projectSchedule, analysis.taskOverduePercent, analysis.tasksByDay.length],
      [0, 0, 5],
    );
  });
});
