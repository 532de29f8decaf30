import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnnouncementDeletion1796591200000 implements MigrationInterface {
  name = 'AnnouncementDeletion1796591200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `announcement` ADD `deletedAt` datetime NULL');
    await queryRunner.query(
      'CREATE INDEX `IDX_118ec703e596086fc4515acb39` ON `announcement` (`createdAt`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_118ec703e596086fc4515acb39` ON `announcement`');
    await queryRunner.query('ALTER TABLE `announcement` DROP COLUMN `deletedAt`');
  }
}
