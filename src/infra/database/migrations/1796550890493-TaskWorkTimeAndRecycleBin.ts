import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskWorkTimeAndRecycleBin1796550890493 implements MigrationInterface {
  name = 'TaskWorkTimeAndRecycleBin1796550890493';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `task_work_time` (`id` int NOT NULL AUTO_INCREMENT, `taskId` int NOT NULL, `projectId` int NOT NULL, `memberId` int NOT NULL, `beginAt` datetime NOT NULL, `hours` decimal(4,2) NOT NULL, `description` varchar(500) NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_afa40cd8efd9a6e9e7dd045589` (`projectId`, `beginAt`), INDEX `IDX_e570e06c32e68223e54e2ef5a0` (`taskId`, `beginAt`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('ALTER TABLE `task` ADD `deleted` tinyint NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE `task` ADD `deletedAt` datetime(3) NULL');
    await queryRunner.query('ALTER TABLE `task` ADD `recycledSort` int NULL');
    await queryRunner.query(
      'CREATE INDEX `IDX_129797d5c79ae744e105cc687b` ON `task` (`projectId`, `deleted`, `deletedAt`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_129797d5c79ae744e105cc687b` ON `task`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `recycledSort`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `deletedAt`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `deleted`');
    await queryRunner.query('DROP INDEX `IDX_e570e06c32e68223e54e2ef5a0` ON `task_work_time`');
    await queryRunner.query('DROP INDEX `IDX_afa40cd8efd9a6e9e7dd045589` ON `task_work_time`');
    await queryRunner.query('DROP TABLE `task_work_time`');
  }
}
