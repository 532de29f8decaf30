import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Attachments1796551260581 implements MigrationInterface {
  name = 'Attachments1796551260581';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `file` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `taskId` int NOT NULL, `organizationId` int NULL, `uploaderId` int NOT NULL, `title` varchar(200) NOT NULL, `extension` varchar(16) NOT NULL DEFAULT '', `size` bigint NOT NULL, `contentType` varchar(100) NOT NULL, `backend` varchar(16) NOT NULL, `storageKey` varchar(255) NOT NULL, `uploadId` varchar(36) NULL, `downloads` int NOT NULL DEFAULT '0', `deleted` tinyint NOT NULL DEFAULT 0, `deletedAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_e529b53c18487a72385a6a440f` (`uploaderId`), UNIQUE INDEX `IDX_0583ebc4d98a0010a9475fb7ee` (`uploadId`), INDEX `IDX_02aa4c6edad0e01efb16465984` (`projectId`, `deleted`, `id`), INDEX `IDX_8211c9b720521bdb6577182861` (`taskId`, `deleted`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_8211c9b720521bdb6577182861` ON `file`');
    await queryRunner.query('DROP INDEX `IDX_02aa4c6edad0e01efb16465984` ON `file`');
    await queryRunner.query('DROP INDEX `IDX_0583ebc4d98a0010a9475fb7ee` ON `file`');
    await queryRunner.query('DROP INDEX `IDX_e529b53c18487a72385a6a440f` ON `file`');
    await queryRunner.query('DROP TABLE `file`');
  }
}
