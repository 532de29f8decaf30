import ExcelJS from 'exceljs';

/**
 * An .xlsx file as a person fills in the downloaded template: a notes row, the header row,
 * then the rows (cells as text; a Date becomes a date cell).
 */
export async function filledSheet(
  headers: string[],
  rows: (string | Date)[][],
  notes = 'notes',
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow([notes]);
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The rows of an .xlsx file's first sheet, each cell as text. */
export async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow({ includeEmpty: true }, (row) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    rows.push(
      values.map((value) =>
        typeof value === 'string' || typeof value === 'number' ? String(value) : '',
      ),
    );
  });
  return rows;
}

/** A multipart form as the page's uploader sends it: its data fields, then the `file` part. */
export function uploadForm(fields: Record<string, string>, bytes: Buffer, name = 'import.xlsx') {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return form;
}

export const TASK_HEADERS = [
  '标题*',
  '上级任务',
  '任务列表*',
  '执行者',
  '开始时间',
  '截止时间',
  '备注',
  '优先级',
  '标签',
];

export const MEMBER_HEADERS = ['姓名', '邮箱*', '部门', '职位', '手机', '默认密码', '描述'];
