import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectInviteLinks1796580294397 implements MigrationInterface {
  name = 'ProjectInviteLinks1796580294397';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `invite_link` ADD `projectId` int NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `invite_link` DROP COLUMN `projectId`');
  }
}
