import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectVersions1796579424191 implements MigrationInterface {
  name = 'ProjectVersions1796579424191';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `project_feature` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `name` varchar(90) NOT NULL, `description` varchar(500) NULL, `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX `IDX_9a224091543f27743168869121` (`projectId`, `name`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `project_version` (`id` int NOT NULL AUTO_INCREMENT, `featureId` int NOT NULL, `projectId` int NOT NULL, `name` varchar(90) NOT NULL, `description` varchar(500) NULL, `status` smallint NOT NULL DEFAULT '0', `startAt` datetime NULL, `plannedPublishAt` datetime NULL, `publishedAt` datetime NULL, `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_dbf6ea32e17f389653a93396fd` (`projectId`), UNIQUE INDEX `IDX_83fc513796d471847ff17110f4` (`featureId`, `name`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `project_version_log` (`id` int NOT NULL AUTO_INCREMENT, `versionId` int NOT NULL, `memberId` int NOT NULL, `type` varchar(30) NOT NULL, `content` text NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_9e983a7f22097aa1f926a3e684` (`versionId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('ALTER TABLE `task` ADD `versionId` int NULL');
    await queryRunner.query(
      'CREATE INDEX `IDX_6043e5245fd7dff24c0c944f5b` ON `task` (`versionId`, `deleted`, `done`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_6043e5245fd7dff24c0c944f5b` ON `task`');
    await queryRunner.query('ALTER TABLE `task` DROP COLUMN `versionId`');
    await queryRunner.query('DROP INDEX `IDX_9e983a7f22097aa1f926a3e684` ON `project_version_log`');
    await queryRunner.query('DROP TABLE `project_version_log`');
    await queryRunner.query('DROP INDEX `IDX_83fc513796d471847ff17110f4` ON `project_version`');
    await queryRunner.query('DROP INDEX `IDX_dbf6ea32e17f389653a93396fd` ON `project_version`');
    await queryRunner.query('DROP TABLE `project_version`');
    await queryRunner.query('DROP INDEX `IDX_9a224091543f27743168869121` ON `project_feature`');
    await queryRunner.query('DROP TABLE `project_feature`');
  }
}
