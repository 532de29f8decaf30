import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectInfo1796591000000 implements MigrationInterface {
  name = 'ProjectInfo1796591000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `project_info` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `name` varchar(90) NOT NULL, `value` varchar(1000) NOT NULL DEFAULT '', `description` varchar(500) NULL, `sort` int NOT NULL DEFAULT '0', `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_51826ced87fb5718a3e6288b2b` (`projectId`, `sort`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_51826ced87fb5718a3e6288b2b` ON `project_info`');
    await queryRunner.query('DROP TABLE `project_info`');
  }
}
