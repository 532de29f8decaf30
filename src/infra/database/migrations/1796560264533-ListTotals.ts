import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's project and notification lists read one index range and a counter row: every
 * membership carries its project's state, and each list's total is kept in `list_total`
 * (filled here from the rows as they are). A member's task memberships are indexed in task
 * order, for "my tasks" newest first; "my tasks" and the activity feed are counted from
 * covering indexes.
 */
export class ListTotals1796560264533 implements MigrationInterface {
  name = 'ListTotals1796560264533';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `list_total` (`memberId` int NOT NULL, `list` varchar(24) NOT NULL, `total` int NOT NULL DEFAULT 0, PRIMARY KEY (`memberId`, `list`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "ALTER TABLE `project_member` ADD `projectState` varchar(10) NOT NULL DEFAULT 'active'",
    );
    await queryRunner.query(
      "UPDATE `project_member` `membership` INNER JOIN `project` ON `project`.`id` = `membership`.`projectId` SET `membership`.`projectState` = CASE WHEN `project`.`deleted` THEN 'recycled' WHEN `project`.`archived` THEN 'archived' ELSE 'active' END",
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_49caa67f5a08b5f6b0d52bec19` ON `project_member` (`memberId`, `projectState`, `projectId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_6cc942d4e3bde3e3d22c430426` ON `project_member`');
    await queryRunner.query(
      'CREATE INDEX `IDX_task_member_member_task` ON `task_member` (`memberId`, `taskId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_ea77f5c34749b18455e4c78361` ON `task_member`');
    await queryRunner.query(
      'CREATE INDEX `IDX_task_assignee_state` ON `task` (`assigneeId`, `deleted`, `id`, `done`, `projectId`)',
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_task_creator_state` ON `task` (`createdBy`, `deleted`, `id`, `done`, `projectId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_7384988f7eeb777e44802a0bac` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_0d5ad69a41a534dea0c786e7a6` ON `task`');
    await queryRunner.query(
      'CREATE INDEX `IDX_activity_project_task` ON `project_activity` (`projectId`, `taskId`)',
    );
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `memberId`, CONCAT('projects:', `projectState`), COUNT(*) FROM `project_member` GROUP BY `memberId`, `projectState`",
    );
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `collection`.`memberId`, 'projects:collected', COUNT(*) FROM `project_collection` `collection` INNER JOIN `project_member` `membership` ON `membership`.`projectId` = `collection`.`projectId` AND `membership`.`memberId` = `collection`.`memberId` WHERE `membership`.`projectState` <> 'recycled' GROUP BY `collection`.`memberId`",
    );
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `memberId`, 'notifications', COUNT(*) FROM `notification` GROUP BY `memberId`",
    );
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `memberId`, 'notifications:unread', COUNT(*) FROM `notification` WHERE `readAt` IS NULL GROUP BY `memberId`",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_activity_project_task` ON `project_activity`');
    await queryRunner.query(
      'CREATE INDEX `IDX_0d5ad69a41a534dea0c786e7a6` ON `task` (`createdBy`)',
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_7384988f7eeb777e44802a0bac` ON `task` (`assigneeId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_task_creator_state` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_task_assignee_state` ON `task`');
    await queryRunner.query(
      'CREATE INDEX `IDX_ea77f5c34749b18455e4c78361` ON `task_member` (`memberId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_task_member_member_task` ON `task_member`');
    await queryRunner.query(
      'CREATE INDEX `IDX_6cc942d4e3bde3e3d22c430426` ON `project_member` (`memberId`)',
    );
    await queryRunner.query('DROP INDEX `IDX_49caa67f5a08b5f6b0d52bec19` ON `project_member`');
    await queryRunner.query('ALTER TABLE `project_member` DROP COLUMN `projectState`');
    await queryRunner.query('DROP TABLE `list_total`');
  }
}
