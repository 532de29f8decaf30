import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The original client's project settings (schedule from the tasks, private, task-number prefix,
 * begin times), and the unread notifications counted by kind from their index alone.
 */
export class ProjectSettings1796560214346 implements MigrationInterface {
  name = 'ProjectSettings1796560214346';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_fcc979615380de86c8ba4627f7` ON `notification`');
    await queryRunner.query(
      'ALTER TABLE `project` ADD `autoUpdateSchedule` tinyint NOT NULL DEFAULT 0',
    );
    await queryRunner.query('ALTER TABLE `project` ADD `private` tinyint NOT NULL DEFAULT 1');
    await queryRunner.query('ALTER TABLE `project` ADD `prefix` varchar(6) NULL');
    await queryRunner.query('ALTER TABLE `project` ADD `openPrefix` tinyint NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE `project` ADD `openBeginTime` tinyint NOT NULL DEFAULT 0');
    await queryRunner.query(
      'CREATE INDEX `IDX_03034b003c00d007ea46a53955` ON `notification` (`memberId`, `readAt`, `kind`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_03034b003c00d007ea46a53955` ON `notification`');
    await queryRunner.query('ALTER TABLE `project` DROP COLUMN `openBeginTime`');
    await queryRunner.query('ALTER TABLE `project` DROP COLUMN `openPrefix`');
    await queryRunner.query('ALTER TABLE `project` DROP COLUMN `prefix`');
    await queryRunner.query('ALTER TABLE `project` DROP COLUMN `private`');
    await queryRunner.query('ALTER TABLE `project` DROP COLUMN `autoUpdateSchedule`');
    await queryRunner.query(
      'CREATE INDEX `IDX_fcc979615380de86c8ba4627f7` ON `notification` (`memberId`, `readAt`)',
    );
  }
}
