import { StreamableFile } from '@nestjs/common';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An .xlsx file as a download, named `fileName` (UTF-8, RFC 6266). */
export function spreadsheetDownload(bytes: Buffer, fileName: string): StreamableFile {
  return new StreamableFile(bytes, {
    type: XLSX_TYPE,
    length: bytes.length,
    disposition: `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}
