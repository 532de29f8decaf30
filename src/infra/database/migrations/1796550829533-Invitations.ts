import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Invitations1796550829533 implements MigrationInterface {
  name = 'Invitations1796550829533';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `invitation` (`id` int NOT NULL AUTO_INCREMENT, `organizationId` int NOT NULL, `inviterId` int NOT NULL, `inviteeId` int NOT NULL, `status` varchar(10) NOT NULL DEFAULT 'pending', `expiresAt` datetime NOT NULL, `answeredAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_9ac7d4705fde6d031836fa084c` (`organizationId`, `inviteeId`), INDEX `IDX_01551b526132ceca35f1eb2806` (`inviteeId`, `status`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_01551b526132ceca35f1eb2806` ON `invitation`');
    await queryRunner.query('DROP INDEX `IDX_9ac7d4705fde6d031836fa084c` ON `invitation`');
    await queryRunner.query('DROP TABLE `invitation`');
  }
}
