import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskTags1796590000000 implements MigrationInterface {
  name = 'TaskTags1796590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `task_tag` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `name` varchar(30) NOT NULL, `color` varchar(20) NOT NULL, `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX `IDX_0a4d7bc8d3e66a484a0e8f3548` (`projectId`, `name`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `task_to_tag` (`taskId` int NOT NULL, `tagId` int NOT NULL, `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_b48c2655c6416460b554225bd5` (`tagId`), PRIMARY KEY (`taskId`, `tagId`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_b48c2655c6416460b554225bd5` ON `task_to_tag`');
    await queryRunner.query('DROP TABLE `task_to_tag`');
    await queryRunner.query('DROP INDEX `IDX_0a4d7bc8d3e66a484a0e8f3548` ON `task_tag`');
    await queryRunner.query('DROP TABLE `task_tag`');
  }
}
