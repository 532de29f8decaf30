import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountContactCards1796570440288 implements MigrationInterface {
  name = 'AccountContactCards1796570440288';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `membership` ADD `displayName` varchar(50) NULL');
    await queryRunner.query('ALTER TABLE `membership` ADD `email` varchar(120) NULL');
    await queryRunner.query('ALTER TABLE `membership` ADD `mobile` varchar(20) NULL');
    await queryRunner.query('ALTER TABLE `membership` ADD `description` varchar(500) NULL');
    await queryRunner.query(
      'CREATE UNIQUE INDEX `IDX_8d39720720f830fa57f722ad87` ON `membership` (`organizationId`, `email`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_8d39720720f830fa57f722ad87` ON `membership`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `description`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `mobile`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `email`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `displayName`');
  }
}
