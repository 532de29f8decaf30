import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InviteLinks1796570719904 implements MigrationInterface {
  name = 'InviteLinks1796570719904';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `invite_link` (`id` int NOT NULL AUTO_INCREMENT, `organizationId` int NOT NULL, `creatorId` int NOT NULL, `codeHash` char(64) NOT NULL, `expiresAt` datetime NOT NULL, `revokedAt` datetime NULL, `joins` int NOT NULL DEFAULT '0', `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX `IDX_08c2bf9dea99877610d54b19cf` (`codeHash`), INDEX `IDX_f33c13bbdf10be5c3c1d85b1c1` (`organizationId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_f33c13bbdf10be5c3c1d85b1c1` ON `invite_link`');
    await queryRunner.query('DROP INDEX `IDX_08c2bf9dea99877610d54b19cf` ON `invite_link`');
    await queryRunner.query('DROP TABLE `invite_link`');
  }
}
