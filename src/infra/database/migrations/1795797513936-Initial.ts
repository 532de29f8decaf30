import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795797513936 implements MigrationInterface {
  name = 'Initial1795797513936';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `member` (`id` int NOT NULL AUTO_INCREMENT, `account` varchar(50) NOT NULL, `email` varchar(120) NOT NULL, `mobile` varchar(20) NOT NULL, `name` varchar(50) NOT NULL, `passwordHash` varchar(255) NOT NULL, `avatar` varchar(500) NULL, `description` varchar(500) NULL, `lastLoginAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX `IDX_26bec72e905ec99f99ae4c6b55` (`account`), UNIQUE INDEX `IDX_4678079964ab375b2b31849456` (`email`), UNIQUE INDEX `IDX_48f6655f1d403321847cb2234c` (`mobile`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `membership` (`id` int NOT NULL AUTO_INCREMENT, `organizationId` int NOT NULL, `memberId` int NOT NULL, `role` varchar(10) NOT NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_3b4b41597707b13086e7172742` (`memberId`), UNIQUE INDEX `IDX_264dfbfe0f05c2886c9411a49d` (`organizationId`, `memberId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `organization` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(100) NOT NULL, `ownerId` int NOT NULL, `personal` tinyint NOT NULL DEFAULT 0, `description` varchar(500) NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_67c515257c7a4bc221bb1857a3` (`ownerId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `member_session` (`id` varchar(36) NOT NULL, `memberId` int NOT NULL, `currentTokenId` varchar(36) NOT NULL, `expiresAt` datetime NOT NULL, `revokedAt` datetime NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_05b31a13081704426fa52872e8` (`memberId`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_05b31a13081704426fa52872e8` ON `member_session`');
    await queryRunner.query('DROP TABLE `member_session`');
    await queryRunner.query('DROP INDEX `IDX_67c515257c7a4bc221bb1857a3` ON `organization`');
    await queryRunner.query('DROP TABLE `organization`');
    await queryRunner.query('DROP INDEX `IDX_264dfbfe0f05c2886c9411a49d` ON `membership`');
    await queryRunner.query('DROP INDEX `IDX_3b4b41597707b13086e7172742` ON `membership`');
    await queryRunner.query('DROP TABLE `membership`');
    await queryRunner.query('DROP INDEX `IDX_48f6655f1d403321847cb2234c` ON `member`');
    await queryRunner.query('DROP INDEX `IDX_4678079964ab375b2b31849456` ON `member`');
    await queryRunner.query('DROP INDEX `IDX_26bec72e905ec99f99ae4c6b55` ON `member`');
    await queryRunner.query('DROP TABLE `member`');
  }
}
