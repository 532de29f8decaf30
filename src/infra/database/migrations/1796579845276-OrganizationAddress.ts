import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationAddress1796579845276 implements MigrationInterface {
  name = 'OrganizationAddress1796579845276';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `organization` ADD `address` varchar(200) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `organization` DROP COLUMN `address`');
  }
}
