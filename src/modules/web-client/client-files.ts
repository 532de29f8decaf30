import type { FileView } from '@/modules/file/dto/file.views';
import { clientTime } from './client-time';
import type { WebClientCall } from './web-client-call';

/** `title` without the extension, as the client edits it (it shows `fullName`). */
function baseTitle(file: FileView): string {
  const suffix = file.extension ? `.${file.extension}` : '';
  return suffix && file.title.toLowerCase().endsWith(suffix)
    ? file.title.slice(0, -suffix.length)
    : file.title;
}

/**
 * A file of the project's Files tab and recycle bin; `file_url` is the signed link the browser
 * follows, made as for a task's sources (`WebClientCall.fileUrl`).
 */
export function clientFile(
  fileUrl: WebClientCall<unknown>['fileUrl'],
  file: FileView,
  zone: string,
) {
  return {
    id: file.id,
    code: file.id,
    title: baseTitle(file),
    fullName: file.title,
    extension: file.extension,
    size: file.size,
    file_url: fileUrl(file.id),
    file_type: file.contentType,
    downloads: file.downloads,
    project_code: file.projectId,
    task_code: file.taskId,
    create_by: file.uploader.id,
    creatorName: file.uploader.name,
    create_time: clientTime(file.createdAt, zone),
    deleted: file.deleted ? 1 : 0,
    deleted_time: clientTime(file.deletedAt, zone),
  };
}
