import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskLikesAndStars1796573487235 implements MigrationInterface {
  name = 'TaskLikesAndStars1796573487235';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `task_collection` (`taskId` int NOT NULL, `memberId` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_e84cf784156feb3626f746dd1b` (`memberId`), PRIMARY KEY (`taskId`, `memberId`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `task_like` (`taskId` int NOT NULL, `memberId` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_496fba02eaa771e7425390cd41` (`memberId`), PRIMARY KEY (`taskId`, `memberId`)) ENGINE=InnoDB',
    );
    await queryRunner.query("ALTER TABLE `task` ADD `likeCount` int NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE `task` ADD `starCount` int NOT NULL DEFAULT '0'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `starCount`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `likeCount`');
    await queryRunner.query('DROP INDEX `IDX_496fba02eaa771e7425390cd41` ON `task_like`');
    await queryRunner.query('DROP TABLE `task_like`');
    await queryRunner.query('DROP INDEX `IDX_e84cf784156feb3626f746dd1b` ON `task_collection`');
    await queryRunner.query('DROP TABLE `task_collection`');
  }
}
