import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Organizations1796550310329 implements MigrationInterface {
  name = 'Organizations1796550310329';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `notification` (`id` int NOT NULL AUTO_INCREMENT, `memberId` int NOT NULL, `kind` varchar(20) NOT NULL, `actorId` int NULL, `organizationId` int NULL, `projectId` int NULL, `taskId` int NULL, `invitationId` int NULL, `content` varchar(500) NOT NULL, `readAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_fcc979615380de86c8ba4627f7` (`memberId`, `readAt`), INDEX `IDX_7338e23927ad7f8250c72da982` (`memberId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `department` (`id` int NOT NULL AUTO_INCREMENT, `organizationId` int NOT NULL, `parentId` int NULL, `name` varchar(50) NOT NULL, `sort` int NOT NULL DEFAULT '0', `path` varchar(500) NOT NULL DEFAULT '', `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_f9263eed6dcbd0ccac4bdd57cc` (`organizationId`, `parentId`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `org_role_node` (`id` int NOT NULL AUTO_INCREMENT, `roleId` int NOT NULL, `node` varchar(100) NOT NULL, UNIQUE INDEX `IDX_d441f16deb6d1cdb9039a5d365` (`roleId`, `node`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `org_role` (`id` int NOT NULL AUTO_INCREMENT, `organizationId` int NOT NULL, `name` varchar(50) NOT NULL, `description` varchar(500) NULL, `kind` varchar(10) NOT NULL, `isDefault` tinyint NOT NULL DEFAULT 0, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX `IDX_12faf15c9adf8ec531aaa590e0` (`organizationId`, `name`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('ALTER TABLE `membership` ADD `roleId` int NULL');
    await queryRunner.query('ALTER TABLE `membership` ADD `departmentId` int NULL');
    await queryRunner.query('ALTER TABLE `membership` ADD `position` varchar(50) NULL');
    await queryRunner.query(
      "ALTER TABLE `membership` ADD `status` varchar(10) NOT NULL DEFAULT 'active'",
    );
    // Every organization gets its two seeded roles; owners and admins hold admin, members member.
    await queryRunner.query(
      "INSERT INTO `org_role` (`organizationId`, `name`, `description`, `kind`, `isDefault`) SELECT `id`, 'admin', 'Manages the organization', 'admin', 0 FROM `organization`",
    );
    await queryRunner.query(
      "INSERT INTO `org_role` (`organizationId`, `name`, `description`, `kind`, `isDefault`) SELECT `id`, 'member', 'Works in the organization', 'member', 1 FROM `organization`",
    );
    await queryRunner.query(
      "UPDATE `membership` m JOIN `org_role` r ON r.`organizationId` = m.`organizationId` AND r.`kind` = (CASE WHEN m.`role` = 'member' THEN 'member' ELSE 'admin' END) SET m.`roleId` = r.`id`",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `status`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `position`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `departmentId`');
    await queryRunner.query('ALTER TABLE `membership` DROP COLUMN `roleId`');
    await queryRunner.query('DROP INDEX `IDX_12faf15c9adf8ec531aaa590e0` ON `org_role`');
    await queryRunner.query('DROP TABLE `org_role`');
    await queryRunner.query('DROP INDEX `IDX_d441f16deb6d1cdb9039a5d365` ON `org_role_node`');
    await queryRunner.query('DROP TABLE `org_role_node`');
    await queryRunner.query('DROP INDEX `IDX_f9263eed6dcbd0ccac4bdd57cc` ON `department`');
    await queryRunner.query('DROP TABLE `department`');
    await queryRunner.query('DROP INDEX `IDX_7338e23927ad7f8250c72da982` ON `notification`');
    await queryRunner.query('DROP INDEX `IDX_fcc979615380de86c8ba4627f7` ON `notification`');
    await queryRunner.query('DROP TABLE `notification`');
  }
}
