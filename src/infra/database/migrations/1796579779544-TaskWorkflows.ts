import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskWorkflows1796579779544 implements MigrationInterface {
  name = 'TaskWorkflows1796579779544';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `task_workflow_action` (`id` int NOT NULL AUTO_INCREMENT, `workflowId` int NOT NULL, `sort` int NOT NULL, `type` varchar(20) NOT NULL, `stageId` int NULL, `memberId` int NULL, INDEX `IDX_af41312f1cbd56d7836925300e` (`workflowId`, `sort`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `task_workflow` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `name` varchar(100) NOT NULL, `stageId` int NOT NULL, `event` varchar(20) NOT NULL, `memberId` int NULL, `createdBy` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_a22db3d76d37c045eac36e9f20` (`stageId`, `event`), INDEX `IDX_742036aca24399c1bb803ef6c2` (`projectId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_742036aca24399c1bb803ef6c2` ON `task_workflow`');
    await queryRunner.query('DROP INDEX `IDX_a22db3d76d37c045eac36e9f20` ON `task_workflow`');
    await queryRunner.query('DROP TABLE `task_workflow`');
    await queryRunner.query(
      'DROP INDEX `IDX_af41312f1cbd56d7836925300e` ON `task_workflow_action`',
    );
    await queryRunner.query('DROP TABLE `task_workflow_action`');
  }
}
