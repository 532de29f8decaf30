import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { Problem } from '@/common/problem';
import {
  columnLetter,
  readSheet,
  sheetDate,
  sheetTemplate,
  type SheetLayout,
} from '@/common/spreadsheet';

const LAYOUT: SheetLayout<'title' | 'when'> = {
  sheetName: 'Sheet',
  notes: 'notes',
  columns: [
    { key: 'title', header: '标题', required: true },
    { key: 'when', header: '开始时间' },
  ],
};

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const refusal = (message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof Problem);
  assert.equal(error.status, 400);
  assert.match(error.detail, message);
  return true;
};

describe('spreadsheet imports', () => {
  it('names columns as a spreadsheet does', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 701, 702].map(columnLetter), [
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'ZZ',
      'AAA',
    ]);
  });

  it('reads dates as wall clocks in the zone, refusing impossible ones', () => {
    assert.equal(
      sheetDate('2024-04-10 12:00', 'Asia/Shanghai')?.toISOString(),
      '2024-04-10T04:00:00.000Z',
    );
    assert.equal(sheetDate('2024/4/1', 'UTC')?.toISOString(), '2024-04-01T00:00:00.000Z');
    // The hour skipped by New York's clocks moving forward still names an instant.
    assert.equal(
      sheetDate('2024-03-10 12:00', 'America/New_York')?.toISOString(),
      '2024-03-10T16:00:00.000Z',
    );
    for (const text of ['2024-02-30', '2024-04-10 24:00', 'tomorrow', '10/04/2024']) {
      assert.equal(sheetDate(text, 'UTC'), null, text);
    }
  });

  it('reads its own template back: the header row found, no rows to import', async () => {
    await assert.rejects(
      readSheet(await sheetTemplate(LAYOUT), LAYOUT, { field: 'file', maxRows: 10 }),
      refusal(/^file: has no rows to import$/),
    );
  });

  it('passes over title rows and empty rows, reading date cells and trimming text', async () => {
    const rows = await readSheet(
      await workbook([
        ['A title'],
        ['notes'],
        ['标题*', '开始时间'],
        ['  First  ', new Date(Date.UTC(2024, 3, 10, 12, 0))],
        [],
        ['Second', '2024-04-11'],
      ]),
      LAYOUT,
      { field: 'file', maxRows: 10 },
    );
    assert.deepEqual(rows, [
      { row: 4, cells: { title: 'First', when: '2024-04-10 12:00' } },
      { row: 6, cells: { title: 'Second', when: '2024-04-11' } },
    ]);
  });

  it('refuses what is no workbook, another layout, and too many rows', async () => {
    const options = { field: 'file', maxRows: 1 };
    await assert.rejects(readSheet(Buffer.from('a,b'), LAYOUT, options), refusal(/xlsx workbook/));
    await assert.rejects(
      readSheet(Buffer.from('PK\u0003\u0004broken'), LAYOUT, options),
      refusal(/xlsx workbook/),
    );
    await assert.rejects(
      readSheet(await workbook([['名称', '开始时间'], ['x']]), LAYOUT, options),
      refusal(/^file: no header row: column A must be 标题\*$/),
    );
    await assert.rejects(
      readSheet(await workbook([['标题', '时间'], ['x']]), LAYOUT, options),
      refusal(/^file: column B must be 开始时间, not "时间"$/),
    );
    await assert.rejects(
      readSheet(await workbook([['标题', '开始时间'], ['x'], ['y']]), LAYOUT, options),
      refusal(/^file: more than 1 rows$/),
    );
  });
});
