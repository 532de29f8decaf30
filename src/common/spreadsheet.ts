import type ExcelJS from 'exceljs';
import { Problem, type FieldProblem } from './problem';

/** One column of an import sheet: the key the code reads it by and the header people see. */
/** exceljs (about 450 modules with its zip and stream dependencies) loads with the first sheet. */
function excel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}

export interface SheetColumn<Key extends string = string> {
  key: Key;
  header: string;
  required?: boolean;
  width?: number;
}

/** An import sheet's layout: a notes row, the header row, then one data row per item. */
export interface SheetLayout<Key extends string = string> {
  sheetName: string;
  notes: string;
  columns: readonly SheetColumn<Key>[];
}

/** A data row of an uploaded sheet: its number as the spreadsheet shows it, its cells as text. */
export interface SheetRow<Key extends string = string> {
  row: number;
  cells: Record<Key, string>;
}

/** The most rows above the header row (the original templates put a title and notes there). */
const HEADER_SEARCH_ROWS = 5;
/** The most problems one answer lists. */
const MAX_PROBLEMS = 50;

const ZIP_MAGIC = Buffer.from('504b0304', 'hex');

/** The column's letter as the spreadsheet shows it (A, B, ... Z, AA). */
export function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

/** A problem of one cell, named as a person finds it: `row 5, column D (执行者)`. */
export function cellProblem(
  layout: SheetLayout,
  row: number,
  key: string,
  message: string,
): FieldProblem {
  const index = layout.columns.findIndex((column) => column.key === key);
  const column = layout.columns[index];
  return { field: `row ${row}, column ${columnLetter(index)} (${column.header})`, message };
}

/** Refuses the import with every problem found (the first ones, when there are many). */
export function refuseRows(problems: FieldProblem[]): void {
  if (problems.length) throw Problem.invalid(problems.slice(0, MAX_PROBLEMS));
}

const headerText = (column: SheetColumn) => `${column.header}${column.required ? '*' : ''}`;

/** The layout's blank template: the notes, then the header row, required columns starred. */
export async function sheetTemplate(layout: SheetLayout): Promise<Buffer> {
  const workbook = new (excel().Workbook)();
  workbook.creator = 'msproject';
  const sheet = workbook.addWorksheet(layout.sheetName);
  sheet.columns = layout.columns.map((column) => ({ width: column.width ?? 16 }));
  const last = columnLetter(layout.columns.length - 1);
  sheet.mergeCells(`A1:${last}1`);
  const notes = sheet.getCell('A1');
  notes.value = layout.notes;
  notes.alignment = { wrapText: true, vertical: 'top' };
  sheet.getRow(1).height = 15 * (layout.notes.split('\n').length + 1);
  const header = sheet.getRow(2);
  header.values = layout.columns.map(headerText);
  header.font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell's value as text: dates as `YYYY-MM-DD HH:mm` (the sheet's own wall clock). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const pad = (part: number) => String(part).padStart(2, '0');
    return (
      `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
      `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`
    );
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return cellText(value.text);
    if ('result' in value) return cellText(value.result);
    return '';
  }
  return String(value);
}

const normalizedHeader = (text: string) => text.replace(/\s+/g, '').replace(/\*+$/, '');

const notAWorkbook = (field: string) =>
  Problem.invalid([{ field, message: 'must be an .xlsx workbook' }]);

/**
 * The data rows of an uploaded .xlsx file laid out as `layout` (its first sheet; the header
 * row found among the first rows, so the original templates' title rows are passed over).
 * Refused as a whole (400 naming `field`) when it is no workbook, a header is not the
 * layout's, or it has more than `maxRows` data rows. Empty rows are skipped; cells are trimmed.
 */
export async function readSheet<Key extends string>(
  bytes: Buffer,
  layout: SheetLayout<Key>,
  options: { field: string; maxRows: number },
): Promise<SheetRow<Key>[]> {
  const { field, maxRows } = options;
  if (bytes.length === 0) throw Problem.invalid([{ field, message: 'required' }]);
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) throw notAWorkbook(field);
  const workbook = new (excel().Workbook)();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw notAWorkbook(field);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw notAWorkbook(field);
  const textAt = (row: number, column: number) =>
    cellText(sheet.getRow(row).getCell(column + 1).value).trim();
  const first = normalizedHeader(layout.columns[0].header);
  let headerRow = 0;
  for (let row = 1; row <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); row++) {
    if (normalizedHeader(textAt(row, 0)) === first) {
      headerRow = row;
      break;
    }
  }
  if (!headerRow) {
    throw Problem.invalid([
      { field, message: `no header row: column A must be ${headerText(layout.columns[0])}` },
    ]);
  }
  const wrongColumns = layout.columns.flatMap((column, index) => {
    const found = textAt(headerRow, index);
    return normalizedHeader(found) === normalizedHeader(column.header)
      ? []
      : [
          {
            field,
            message: `column ${columnLetter(index)} must be ${headerText(column)}, not "${found.slice(0, 40)}"`,
          },
        ];
  });
  refuseRows(wrongColumns);
  const rows: SheetRow<Key>[] = [];
  for (let row = headerRow + 1; row <= sheet.rowCount; row++) {
    const cells = Object.fromEntries(
      layout.columns.map((column, index) => [column.key, textAt(row, index)]),
    ) as Record<Key, string>;
    if (Object.values<string>(cells).every((text) => text === '')) continue;
    if (rows.length === maxRows) {
      throw Problem.invalid([{ field, message: `more than ${maxRows} rows` }]);
    }
    rows.push({ row, cells });
  }
  if (rows.length === 0) throw Problem.invalid([{ field, message: 'has no rows to import' }]);
  return rows;
}

/**
 * The instant of a sheet's date (`YYYY-MM-DD`, or with `HH:mm`, seconds optional) read as a
 * wall clock in `zone`; null when it is no such date.
 */
export function sheetDate(text: string, zone: string): Date | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
    text,
  );
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, Number(part.value)]),
    );
    return (
      Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) -
      Math.floor(instant / 1000) * 1000
    );
  };
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  return new Date(wall - offset(wall - offset(wall)));
}
