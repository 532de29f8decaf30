import type { FileView } from '@/modules/file/dto/file.views';
import { clientTime } from './client-time';
import type { WebClientServices } from './web-client-services';

/** Who is shown the file: a link may be made for them. */
export interface FileViewer {
  memberId: number;
  services: WebClientServices;
}

/**
 * The link the client opens for a file (`file_url`), as `project/task/taskSources` makes it
 * (the file's download path): the Files tab's routes build it here, so that how links are made
 * changes in one place.
 */
export function clientFileUrl(_viewer: FileViewer, file: FileView): string {
  return file.downloadPath;
}

/** `title` without the extension, as the client edits it (it shows `fullName`). */
function baseTitle(file: FileView): string {
  const suffix = file.extension ? `.${file.extension}` : '';
  return suffix && file.title.toLowerCase().endsWith(suffix)
    ? file.title.slice(0, -suffix.length)
    : file.title;
}

/** A file of the project's Files tab and recycle bin. */
export function clientFile(viewer: FileViewer, file: FileView, zone: string) {
  return {
    id: file.id,
    code: file.id,
    title: baseTitle(file),
    fullName: file.title,
    extension: file.extension,
    size: file.size,
    file_url: clientFileUrl(viewer, file),
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
