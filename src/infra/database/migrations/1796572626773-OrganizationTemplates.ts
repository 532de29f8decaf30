import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationTemplates1796572626773 implements MigrationInterface {
  name = 'OrganizationTemplates1796572626773';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX `IDX_6f1211579809edfd3472294bde` ON `project_template` (`organizationId`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_6f1211579809edfd3472294bde` ON `project_template`');
  }
}
