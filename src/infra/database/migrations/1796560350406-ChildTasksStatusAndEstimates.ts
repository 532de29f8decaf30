import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Child tasks (a parent, the path of ancestors, the task a recycling took them along with),
 * the execution state and the estimated hours of a task.
 */
export class ChildTasksStatusAndEstimates1796560350406 implements MigrationInterface {
  name = 'ChildTasksStatusAndEstimates1796560350406';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `task` ADD `parentId` int NULL');
    await queryRunner.query("ALTER TABLE `task` ADD `path` varchar(100) NOT NULL DEFAULT '/'");
    await queryRunner.query("ALTER TABLE `task` ADD `status` smallint NOT NULL DEFAULT '0'");
    await queryRunner.query('ALTER TABLE `task` ADD `estimatedHours` decimal(6,2) NULL');
    await queryRunner.query('ALTER TABLE `task` ADD `recycledWithId` int NULL');
    await queryRunner.query('CREATE INDEX `IDX_d3ddbb2f323d96ff4c74a5dd56` ON `task` (`path`)');
    await queryRunner.query(
      'CREATE INDEX `IDX_9096c9ead301a072844987196f` ON `task` (`parentId`, `deleted`, `done`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_9096c9ead301a072844987196f` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_d3ddbb2f323d96ff4c74a5dd56` ON `task`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `recycledWithId`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `estimatedHours`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `status`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `path`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `parentId`');
  }
}
