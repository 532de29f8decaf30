import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each member's activity feed total as a counter row (`list_total`, list `activity`), filled
 * from the rows by the feed's rule: the entries of the projects they belong to, a task's only
 * while the task is off the recycle bin and, if private, theirs to see (its creator, its
 * assignee, its task members).
 */
export class ActivityFeedTotals1796569210652 implements MigrationInterface {
  name = 'ActivityFeedTotals1796569210652';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM `list_total` WHERE `list` = 'activity'");
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `membership`.`memberId`, 'activity', COUNT(*) FROM `project_member` `membership` INNER JOIN `project_activity` `entry` ON `entry`.`projectId` = `membership`.`projectId` LEFT JOIN `task` ON `task`.`id` = `entry`.`taskId` WHERE `entry`.`taskId` IS NULL OR (`task`.`deleted` = 0 AND (`task`.`private` = 0 OR `task`.`createdBy` = `membership`.`memberId` OR `task`.`assigneeId` = `membership`.`memberId` OR EXISTS (SELECT 1 FROM `task_member` `viewer` WHERE `viewer`.`taskId` = `task`.`id` AND `viewer`.`memberId` = `membership`.`memberId`))) GROUP BY `membership`.`memberId`",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM `list_total` WHERE `list` = 'activity'");
  }
}
