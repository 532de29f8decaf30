import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The system templates every member can start a project from, with their stages in order. */
const SYSTEM_TEMPLATES: { name: string; description: string; stages: string[] }[] = [
  {
    name: 'Simple board',
    description: 'Three columns for a small team.',
    stages: ['To do', 'In progress', 'Done'],
  },
  {
    name: 'Product development',
    description: 'From a requirement to a release.',
    stages: ['Requirements', 'Design', 'Development', 'Testing', 'Released'],
  },
  {
    name: 'Kanban',
    description: 'Pull work through limited columns.',
    stages: ['Backlog', 'Ready', 'Doing', 'Review', 'Done'],
  },
  {
    name: 'Marketing campaign',
    description: 'Plan, produce, publish and measure.',
    stages: ['Ideas', 'Planning', 'Production', 'Published', 'Results'],
  },
];

async function seedSystemTemplates(queryRunner: QueryRunner): Promise<void> {
  for (const [index, template] of SYSTEM_TEMPLATES.entries()) {
    await queryRunner.query(
      'INSERT INTO `project_template` (`name`, `description`, `sort`, `isSystem`) VALUES (?, ?, ?, 1)',
      [template.name, template.description, index],
    );
    const [{ id }] = (await queryRunner.query(
      'SELECT `id` FROM `project_template` WHERE `isSystem` = 1 AND `name` = ?',
      [template.name],
    )) as { id: number }[];
    for (const [sort, stage] of template.stages.entries()) {
      await queryRunner.query(
        'INSERT INTO `project_template_stage` (`templateId`, `name`, `sort`) VALUES (?, ?, ?)',
        [id, stage, sort],
      );
    }
  }
}

export class Projects1795798366502 implements MigrationInterface {
  name = 'Projects1795798366502';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `project_activity` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `taskId` int NULL, `memberId` int NOT NULL, `type` varchar(20) NOT NULL, `isComment` tinyint NOT NULL DEFAULT 0, `content` varchar(2000) NOT NULL, `toMemberId` int NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_f67b500ef3cd7ba2bc9355a712` (`taskId`, `id`), INDEX `IDX_1c45ac543e24b4f2a631c8e924` (`projectId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `project_collection` (`id` int NOT NULL AUTO_INCREMENT, `memberId` int NOT NULL, `projectId` int NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_a353686d580de081535b6bb6e0` (`projectId`), UNIQUE INDEX `IDX_bf3ab647184743ef4060e52e04` (`memberId`, `projectId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `project_member` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `memberId` int NOT NULL, `role` varchar(10) NOT NULL, `joinedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_6cc942d4e3bde3e3d22c430426` (`memberId`), UNIQUE INDEX `IDX_00377b377c3f444dc856481ae0` (`projectId`, `memberId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `project_template` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(90) NOT NULL, `description` varchar(500) NULL, `cover` varchar(500) NULL, `sort` int NOT NULL DEFAULT '0', `isSystem` tinyint NOT NULL DEFAULT 0, `memberId` int NULL, `organizationId` int NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_05c459d0ed38d2a2a538227fe5` (`memberId`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `project` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(90) NOT NULL, `description` varchar(500) NULL, `cover` varchar(500) NULL, `ownerId` int NOT NULL, `organizationId` int NULL, `templateId` int NULL, `taskBoardTheme` varchar(20) NOT NULL DEFAULT 'simple', `openTaskPrivate` tinyint NOT NULL DEFAULT 0, `schedule` int NOT NULL DEFAULT '0', `lastTaskNumber` int NOT NULL DEFAULT '0', `archived` tinyint NOT NULL DEFAULT 0, `archivedAt` datetime NULL, `deleted` tinyint NOT NULL DEFAULT 0, `deletedAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_9884b2ee80eb70b7db4f12e8ae` (`ownerId`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `project_template_stage` (`id` int NOT NULL AUTO_INCREMENT, `templateId` int NOT NULL, `name` varchar(50) NOT NULL, `sort` int NOT NULL DEFAULT '0', `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_ab70fefec38e236da77f147043` (`templateId`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `task_member` (`id` int NOT NULL AUTO_INCREMENT, `taskId` int NOT NULL, `memberId` int NOT NULL, `isExecutor` tinyint NOT NULL DEFAULT 0, `isOwner` tinyint NOT NULL DEFAULT 0, `joinedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_ea77f5c34749b18455e4c78361` (`memberId`), UNIQUE INDEX `IDX_0311208375360018434768c2be` (`taskId`, `memberId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `task_stage` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `name` varchar(50) NOT NULL, `description` varchar(500) NULL, `sort` int NOT NULL DEFAULT '0', `deleted` tinyint NOT NULL DEFAULT 0, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_fca48526d66677316e50716f97` (`projectId`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `task` (`id` int NOT NULL AUTO_INCREMENT, `projectId` int NOT NULL, `stageId` int NOT NULL, `number` int NOT NULL, `name` varchar(200) NOT NULL, `description` text NULL, `priority` int NOT NULL DEFAULT '0', `sort` int NOT NULL, `createdBy` int NOT NULL, `assigneeId` int NULL, `done` tinyint NOT NULL DEFAULT 0, `doneAt` datetime NULL, `doneBy` int NULL, `private` tinyint NOT NULL DEFAULT 0, `beginAt` datetime NULL, `endAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX `IDX_0d5ad69a41a534dea0c786e7a6` (`createdBy`), INDEX `IDX_7384988f7eeb777e44802a0bac` (`assigneeId`), UNIQUE INDEX `IDX_46743c0198276a80c66d8f0ea0` (`projectId`, `number`), UNIQUE INDEX `IDX_400c957c3f43cbfbaa6f63530b` (`stageId`, `sort`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await seedSystemTemplates(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_400c957c3f43cbfbaa6f63530b` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_46743c0198276a80c66d8f0ea0` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_7384988f7eeb777e44802a0bac` ON `task`');
    await queryRunner.query('DROP INDEX `IDX_0d5ad69a41a534dea0c786e7a6` ON `task`');
    await queryRunner.query('DROP TABLE `task`');
    await queryRunner.query('DROP INDEX `IDX_fca48526d66677316e50716f97` ON `task_stage`');
    await queryRunner.query('DROP TABLE `task_stage`');
    await queryRunner.query('DROP INDEX `IDX_0311208375360018434768c2be` ON `task_member`');
    await queryRunner.query('DROP INDEX `IDX_ea77f5c34749b18455e4c78361` ON `task_member`');
    await queryRunner.query('DROP TABLE `task_member`');
    await queryRunner.query(
      'DROP INDEX `IDX_ab70fefec38e236da77f147043` ON `project_template_stage`',
    );
    await queryRunner.query('DROP TABLE `project_template_stage`');
    await queryRunner.query('DROP INDEX `IDX_9884b2ee80eb70b7db4f12e8ae` ON `project`');
    await queryRunner.query('DROP TABLE `project`');
    await queryRunner.query('DROP INDEX `IDX_05c459d0ed38d2a2a538227fe5` ON `project_template`');
    await queryRunner.query('DROP TABLE `project_template`');
    await queryRunner.query('DROP INDEX `IDX_00377b377c3f444dc856481ae0` ON `project_member`');
    await queryRunner.query('DROP INDEX `IDX_6cc942d4e3bde3e3d22c430426` ON `project_member`');
    await queryRunner.query('DROP TABLE `project_member`');
    await queryRunner.query('DROP INDEX `IDX_bf3ab647184743ef4060e52e04` ON `project_collection`');
    await queryRunner.query('DROP INDEX `IDX_a353686d580de081535b6bb6e0` ON `project_collection`');
    await queryRunner.query('DROP TABLE `project_collection`');
    await queryRunner.query('DROP INDEX `IDX_1c45ac543e24b4f2a631c8e924` ON `project_activity`');
    await queryRunner.query('DROP INDEX `IDX_f67b500ef3cd7ba2bc9355a712` ON `project_activity`');
    await queryRunner.query('DROP TABLE `project_activity`');
  }
}
