import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The activity feed fanned out: one `member_feed` row per entry a member may see, filled from
 * the rows by the feed's rule (the entries of the projects they belong to, a task's only while
 * the task is off the recycle bin and, if private, theirs to see: its creator, its assignee,
 * its task members); each member's feed counter is then recounted from their rows.
 */
export class MemberFeed1796573393359 implements MigrationInterface {
  name = 'MemberFeed1796573393359';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `member_feed` (`memberId` int NOT NULL, `activityId` int NOT NULL, `projectId` int NOT NULL, INDEX `IDX_member_feed_project_member` (`projectId`, `memberId`), PRIMARY KEY (`memberId`, `activityId`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'INSERT INTO `member_feed` (`memberId`, `activityId`, `projectId`) SELECT `membership`.`memberId`, `entry`.`id`, `entry`.`projectId` FROM `project_member` `membership` INNER JOIN `project_activity` `entry` ON `entry`.`projectId` = `membership`.`projectId` LEFT JOIN `task` ON `task`.`id` = `entry`.`taskId` WHERE `entry`.`taskId` IS NULL OR (`task`.`deleted` = 0 AND (`task`.`private` = 0 OR `task`.`createdBy` = `membership`.`memberId` OR `task`.`assigneeId` = `membership`.`memberId` OR EXISTS (SELECT 1 FROM `task_member` `viewer` WHERE `viewer`.`taskId` = `task`.`id` AND `viewer`.`memberId` = `membership`.`memberId`)))',
    );
    await queryRunner.query("DELETE FROM `list_total` WHERE `list` = 'activity'");
    await queryRunner.query(
      "INSERT INTO `list_total` (`memberId`, `list`, `total`) SELECT `memberId`, 'activity', COUNT(*) FROM `member_feed` GROUP BY `memberId`",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_member_feed_project_member` ON `member_feed`');
    await queryRunner.query('DROP TABLE `member_feed`');
  }
}
