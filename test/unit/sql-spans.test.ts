import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightSpan } from '@/telemetry/light-span';
import { settleMemory } from '@/server/settle-memory';
import { endingFirst, maskStatement } from '@/telemetry/sql-spans';

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

describe('the callback of a statement inside a sampled trace', () => {
  const spanCounting = () => {
    const counts = { ended: 0, failed: 0 };
    const span = {
      end: () => void counts.ended++,
      fail: () => void counts.failed++,
    } as unknown as LightSpan;
    return { counts, span };
  };

  it('ends the span first, then hands the statement its results as they came', () => {
    const { counts, span } = spanCounting();
    const calls: unknown[][] = [];
    const callback = endingFirst(span, function (this: unknown, ...args: unknown[]) {
      assert.equal(counts.ended, 1);
      calls.push([this, ...args]);
    });
    const command = { sql: 'SELECT 1' };
    callback.call(command, null, [{ one: 1 }], ['field']);
    assert.deepEqual(calls, [[command, null, [{ one: 1 }], ['field']]]);
    const failing = spanCounting();
    endingFirst(failing.span, () => undefined)(new Error('gone'));
    assert.deepEqual(failing.counts, { ended: 1, failed: 1 });
  });

  it('ends the span and hands on the results once, however often mysql2 calls it', () => {
    const { counts, span } = spanCounting();
    let calls = 0;
    const callback = endingFirst(span, () => void calls++);
    callback(new Error('Query inactivity timeout'));
    callback(new Error('Connection lost'));
    assert.deepEqual(counts, { ended: 1, failed: 1 });
    assert.equal(calls, 1);
  });

  it('lets go of the callback, and the rows it holds, once it has run', async () => {
    // Only the statement's callback refers to its rows, as mysql2's promise callback does.
    const statement = (span: LightSpan) => {
      const rows = { values: [1, 2, 3] };
      return { rowsHeld: new WeakRef(rows), callback: endingFirst(span, () => rows.values.length) };
    };
    const { rowsHeld, callback } = statement(spanCounting().span);
    callback(null);
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    settleMemory();
    assert.equal(rowsHeld.deref(), undefined, 'the finished wrapper still holds the rows');
    // The wrapper is used here, after the collection, so that it was reachable during it.
    assert.equal(typeof callback, 'function');
  });
});
