import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberAvatars1796569794914 implements MigrationInterface {
  name = 'MemberAvatars1796569794914';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `member_avatar` (`memberId` int NOT NULL, `contentType` varchar(20) NOT NULL, `size` int NOT NULL, `backend` varchar(16) NOT NULL, `storageKey` varchar(255) NOT NULL, `updatedAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (`memberId`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `member_avatar`');
  }
}
