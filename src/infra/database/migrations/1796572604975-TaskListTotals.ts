import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per view of "my tasks" (assigned, created, participating): the member column of a row. */
const VIEWS: [string, string, string][] = [
  ['assigned', '`task`', '`task`.`assigneeId`'],
  ['created', '`task`', '`task`.`createdBy`'],
  [
    'participating',
    '`task_member` `participant` INNER JOIN `task` ON `task`.`id` = `participant`.`taskId`',
    '`participant`.`memberId`',
  ],
];

/**
 * "My tasks" keeps its totals in `list_total`, per view all the member's tasks and the done
 * ones (filled here from the rows: out of the bin, in a project the member belongs to that is
 * out of the bin), and a member's done or undone assigned or created tasks are one index range.
 */
export class TaskListTotals1796572604975 implements MigrationInterface {
  name = 'TaskListTotals1796572604975';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX `IDX_task_creator_done` ON `task` (`createdBy`, `deleted`, `done`, `id`, `projectId`)',
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_task_assignee_done` ON `task` (`assigneeId`, `deleted`, `done`, `id`, `projectId`)',
    );
    await queryRunner.query("DELETE FROM `list_total` WHERE `list` LIKE 'tasks:%'");
    for (const [view, from, member] of VIEWS) {
      for (const [list, doneOnly] of [
        [`tasks:${view}`, ''],
        [`tasks:${view}:done`, ' AND `task`.`done` = 1'],
      ]) {
        await queryRunner.query(
          `INSERT INTO \`list_total\` (\`memberId\`, \`list\`, \`total\`)
           SELECT ${member}, ?, COUNT(*) FROM ${from}
           INNER JOIN \`project_member\` \`membership\`
             ON \`membership\`.\`projectId\` = \`task\`.\`projectId\`
             AND \`membership\`.\`memberId\` = ${member}
             AND \`membership\`.\`projectState\` <> 'recycled'
           WHERE \`task\`.\`deleted\` = 0${doneOnly}
           GROUP BY ${member}`,
          [list],
        );
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM `list_total` WHERE `list` LIKE 'tasks:%'");
    await queryRunner.query('DROP INDEX `IDX_task_assignee_done` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_task_creator_done` ON `task`');
  }
}
