import { encodeId } from '@/common/public-id';
import { memberRef, type Members } from '@/modules/project/dto/project.views';
import type { StoredFile } from '../entities';

/** What a signed download link is for (see SignedLinks). */
export const DOWNLOAD_LINK = 'file-content';

/** Where the REST API serves a file's bytes. */
export const downloadPath = (id: string) => `/api/v1/files/${id}/content`;

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

export function fileView(file: StoredFile, members: Members) {
  const id = encodeId(file.id, 'file');
  return {
    id,
    projectId: encodeId(file.projectId, 'project'),
    taskId: encodeId(file.taskId, 'task'),
    title: file.title,
    extension: file.extension,
    size: file.size,
    contentType: file.contentType,
    uploader: memberRef(members, file.uploaderId),
    downloads: file.downloads,
    deleted: Boolean(file.deleted),
    deletedAt: iso(file.deletedAt),
    createdAt: iso(file.createdAt)!,
    /** Where its bytes are served (REST only). */
    downloadPath: downloadPath(id),
  };
}

export type FileView = ReturnType<typeof fileView>;

/** The answer to one chunk: the file once the upload is complete. */
export interface ChunkAnswer {
  complete: boolean;
  /** Chunks received so far (of totalChunks). */
  received: number;
  totalChunks: number;
  file: FileView | null;
}
