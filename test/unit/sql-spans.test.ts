import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskStatement } from '@/telemetry/sql-spans';

describe('the SQL text of a statement span', () => {
  it('keeps placeholders, identifiers and keywords, and masks every literal', () => {
    assert.equal(
      maskStatement(
        "SELECT `t1`.`id` AS `t1_id` FROM `project` `t1` WHERE `t1`.`name` = 'it''s' AND `t1`.`x` = ? LIMIT 20 OFFSET 40",
      ),
      'SELECT `t1`.`id` AS `t1_id` FROM `project` `t1` WHERE `t1`.`name` = ? AND `t1`.`x` = ? LIMIT ? OFFSET ?',
    );
  });

  it('masks quoted strings with escaped quotes, backslashes and line breaks whole', () => {
    const masked = maskStatement(
      `UPDATE member SET note = 'say \\'hi\\' \\\\ now', bio = "two\nlines", code = 'p@ss 12' WHERE id = 7`,
    );
    assert.equal(masked, 'UPDATE member SET note = ?, bio = ?, code = ? WHERE id = ?');
  });

  it('leaves a statement without literals as it is', () => {
    const statement = 'SELECT SHA2(?, ?) AS hash';
    assert.equal(maskStatement(statement), statement);
  });
});
