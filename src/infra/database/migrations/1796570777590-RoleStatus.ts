import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles get a status (a disabled role grants its holders none of its nodes), and the catalogue
 * the original's two nodes that change it, held by every organization's admin role (which holds
 * every node).
 */
export class RoleStatus1796570777590 implements MigrationInterface {
  name = 'RoleStatus1796570777590';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `org_role` ADD `status` varchar(10) NOT NULL DEFAULT 'active'",
    );
    await queryRunner.query(
      'INSERT INTO `permission_node` (`id`, `node`, `title`, `parent`, `isMenu`, `isAuth`, `isLogin`, `sort`) VALUES ' +
        "(391, 'project/auth/forbid', '禁用权限', 'project/auth', 0, 1, 1, 391)," +
        "(392, 'project/auth/resume', '启用权限', 'project/auth', 0, 1, 1, 392)",
    );
    await queryRunner.query(
      "INSERT INTO `org_role_node` (`roleId`, `node`) SELECT r.`id`, n.`node` FROM `org_role` r JOIN `permission_node` n WHERE r.`kind` = 'admin' AND n.`id` IN (391, 392)",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "DELETE FROM `org_role_node` WHERE `node` IN ('project/auth/forbid', 'project/auth/resume')",
    );
    await queryRunner.query('DELETE FROM `permission_node` WHERE `id` IN (391, 392)');
    await queryRunner.query('ALTER TABLE `org_role` DROP COLUMN `status`');
  }
}
