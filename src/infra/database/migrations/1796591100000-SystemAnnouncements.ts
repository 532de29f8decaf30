import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SystemAnnouncements1796591100000 implements MigrationInterface {
  name = 'SystemAnnouncements1796591100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `announcement` (`id` int NOT NULL AUTO_INCREMENT, `title` varchar(100) NOT NULL, `content` text NOT NULL, `createdBy` int NOT NULL, `recipients` int NOT NULL DEFAULT '0', `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query('ALTER TABLE `notification` ADD `announcementId` int NULL');
    await queryRunner.query(
      'CREATE INDEX `IDX_e5ff9a8d274d0113e699ce2830` ON `notification` (`announcementId`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_e5ff9a8d274d0113e699ce2830` ON `notification`');
    await queryRunner.query('ALTER TABLE `notification` DROP COLUMN `announcementId`');
    await queryRunner.query('DROP TABLE `announcement`');
  }
}
