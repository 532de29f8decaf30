import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The folded key of an account name as this migration computes it (NFKC, full case folding,
 * SHA-256 hex): a copy of the rule in the user module at the time, so that the migration
 * stays what it was when the rule moves on.
 */
function accountKey(name: string): string {
  const folded = name.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  return createHash('sha256').update(folded, 'utf8').digest('hex');
}

/**
 * Account names become Unicode: unique by a folded key, no longer by the column's
 * accent-insensitive collation (which would merge `josé` and `jose`).
 */
export class AccountKeys1796553260967 implements MigrationInterface {
  name = 'AccountKeys1796553260967';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_26bec72e905ec99f99ae4c6b55` ON `member`');
    await queryRunner.query('ALTER TABLE `member` ADD `accountKey` varchar(64) NULL');
    // Every existing name gets its key; they were unique under a coarser rule, so their keys are.
    const members = (await queryRunner.query('SELECT `id`, `account` FROM `member`')) as {
      id: number;
      account: string;
    }[];
    for (const member of members) {
      await queryRunner.query('UPDATE `member` SET `accountKey` = ? WHERE `id` = ?', [
        accountKey(member.account),
        member.id,
      ]);
    }
    await queryRunner.query('ALTER TABLE `member` MODIFY `accountKey` varchar(64) NOT NULL');
    await queryRunner.query(
      'ALTER TABLE `member` ADD UNIQUE INDEX `IDX_b246913795ef12fab416f553da` (`accountKey`)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `member` DROP INDEX `IDX_b246913795ef12fab416f553da`');
    await queryRunner.query('ALTER TABLE `member` DROP COLUMN `accountKey`');
    await queryRunner.query(
      'CREATE UNIQUE INDEX `IDX_26bec72e905ec99f99ae4c6b55` ON `member` (`account`)',
    );
  }
}
