import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SystemSettings1796582417715 implements MigrationInterface {
  name = 'SystemSettings1796582417715';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `system_setting` (`name` varchar(50) NOT NULL, `value` varchar(500) NOT NULL, PRIMARY KEY (`name`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `system_setting`');
  }
}
