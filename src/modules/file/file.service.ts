import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import type { Readable } from 'node:stream';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import { ConfigCenter } from '@/config/config-center';
import { Storage } from '@/infra/storage/storage.service';
import type { ByteRange } from '@/infra/storage/storage.port';
import { BoardAccess, type TaskReach } from '@/modules/project/board-access';
import { memberIdsOf, pageOf } from '@/modules/project/dto/project.views';
import { ProjectAccess } from '@/modules/project/project-access';
import { SignedLinks } from '@/modules/user/auth/signed-links';
import { UserDirectory } from '@/modules/user/user-directory';
import { parseRange, RangeNotSatisfiable } from './byte-ranges';
import type { ListProjectFilesQuery, ListTaskFilesQuery } from './dto/file.schemas';
import { DOWNLOAD_LINK, downloadPath, fileView } from './dto/file.views';
import type { StoredFile } from './entities';
import { renamedTitle } from './file-names';
import { FilePurge } from './file-purge';
import { FileRepository } from './file.repository';
import { fromStorage } from './storage-problems';

export interface Download {
  file: StoredFile;
  body: Readable;
  /** The bytes served, when a Range asked for part of the file. */
  range?: ByteRange;
}

/**
 * Task attachments: who sees them (the task's viewers), who changes them (their uploader or
 * the project owner), the recycle bin (the project owner restores), and downloads.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class FileService {
  constructor(
    private readonly files: FileRepository,
    private readonly board: BoardAccess,
    private readonly access: ProjectAccess,
    private readonly directory: UserDirectory,
    private readonly storage: Storage,
    private readonly center: ConfigCenter,
    private readonly links: SignedLinks,
    private readonly purge: FilePurge,
  ) {}

  async views(rows: StoredFile[]) {
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.uploaderId)));
    return rows.map((row) => fileView(row, members));
  }

  async listTaskFiles(memberId: number, taskId: number, paging: ListTaskFilesQuery) {
    await this.board.taskFor(memberId, taskId, 'boardOrBin');
    const { rows, total } = await this.files.listOfTask(taskId, paging);
    return pageOf(await this.views(rows), total, paging);
  }

  /** The files of the project's tasks the member sees; `deleted` lists the recycle bin. */
  async listProjectFiles(memberId: number, projectId: number, query: ListProjectFilesQuery) {
    await this.access.require(memberId, projectId);
    const visible: number[] = [];
    for (const taskId of await this.files.tasksWithFiles(projectId, query.deleted)) {
      if (await this.canSee(memberId, taskId)) visible.push(taskId);
    }
    const { rows, total } = await this.files.listOfTasks(projectId, visible, query.deleted, query);
    return pageOf(await this.views(rows), total, query);
  }

  async getFile(memberId: number, fileId: number) {
    const { file } = await this.fileFor(memberId, fileId, 'boardOrBin');
    return (await this.views([file]))[0];
  }

  /** Its uploader or the project owner only; the extension stays the file's own. */
  async renameFile(memberId: number, fileId: number, title: string) {
    const { file } = await this.changeable(memberId, fileId);
    await this.files.rename(file.id, renamedTitle(title, file.extension).title);
    return this.getFile(memberId, fileId);
  }

  /** To the recycle bin; its uploader or the project owner only. */
  async deleteFile(memberId: number, fileId: number): Promise<void> {
    const { file } = await this.changeable(memberId, fileId, true);
    if (!file.deleted) await this.files.setDeleted(file.id, true);
    await this.board.written(memberId);
  }

  /** Out of the recycle bin; the project owner only. */
  async restoreFile(memberId: number, fileId: number) {
    const found = await this.fileFor(memberId, fileId, 'board', true);
    ProjectAccess.writable(ProjectAccess.check(found, 'owner'));
    const { file } = found;
    if (file.deleted) {
      const { maxFilesPerTask } = this.center.config.attachments;
      if ((await this.files.countLiveOfTask(file.taskId)) >= maxFilesPerTask) {
        throw Problem.failedPrecondition(
          `the task already has ${maxFilesPerTask} files`,
          undefined,
          'too_many_files',
        );
      }
      await this.files.setDeleted(file.id, false);
    }
    await this.board.written(memberId);
    return this.getFile(memberId, fileId);
  }

  /**
   * A link to the file's bytes that the member's browser can follow without the bearer
   * header, valid for `attachments.downloadLinkTtlSeconds`; following it checks again that
   * the file is there and the member still sees it.
   */
  async downloadLink(memberId: number, fileId: number) {
    const { file } = await this.fileFor(memberId, fileId, 'boardOrBin');
    return this.linkTo(memberId, encodeId(file.id, 'file'));
  }

  /** The same link, for a file (by public id) that the member was just shown. */
  linkTo(memberId: number, id: string): { url: string; expiresAt: string } {
    const { query, expiresAt } = this.links.sign(
      DOWNLOAD_LINK,
      id,
      memberId,
      this.center.config.attachments.downloadLinkTtlSeconds,
    );
    return { url: `${downloadPath(id)}?${query}`, expiresAt: expiresAt.toISOString() };
  }

  /**
   * A file in the recycle bin deleted for good, its stored bytes once its row is gone; the
   * project owner only (asked first), and only from the recycle bin.
   */
  async purgeFile(memberId: number, fileId: number): Promise<void> {
    const found = await this.fileFor(memberId, fileId, 'board', true);
    ProjectAccess.writable(ProjectAccess.check(found, 'owner'));
    if (!found.file.deleted || !(await this.files.removeRecycled(found.file.id))) {
      throw Problem.failedPrecondition(
        'the file is not in the recycle bin',
        undefined,
        'file_not_recycled',
      );
    }
    await this.board.written(memberId);
    await this.purge.removeObjects([found.file]);
  }

  /** The bytes, or the range of them asked for; a range past the end is 416. */
  async download(
    memberId: number,
    fileId: number,
    rangeHeader: string | undefined,
    count: boolean,
  ): Promise<Download> {
    const { file } = await this.fileFor(memberId, fileId, 'boardOrBin');
    const answer = parseRange(rangeHeader, file.size);
    if (answer.kind === 'unsatisfiable') {
      throw new RangeNotSatisfiable(file.size);
    }
    const range = answer.kind === 'partial' ? answer.range : undefined;
    const body = await fromStorage(this.read(file, range), (error) =>
      this.center.logger.warn({ err: error.message, fileId: file.id }, 'file content unavailable'),
    );
    // A download, not every resumed piece of one.
    if (count && (!range || range.start === 0)) await this.files.countDownload(file.id);
    return { file, body, range };
  }

  private async read(file: StoredFile, range?: ByteRange): Promise<Readable> {
    return this.storage.backend(file.backend).get(file.storageKey, range);
  }

  /**
   * A file of a task the member sees, the task looked for where `reach` says (a task in its
   * project's recycle bin shows its files, and takes no change to them); a file in the
   * recycle bin only when `deleted` allows.
   */
  private async fileFor(memberId: number, fileId: number, reach: TaskReach, deleted = false) {
    const file = await this.files.findFile(fileId);
    if (!file || (file.deleted && !deleted)) throw Problem.notFound('file not found');
    const seen = await this.board.taskFor(memberId, file.taskId, reach).catch((error: unknown) => {
      throw error instanceof Problem && error.status === 404
        ? Problem.notFound('file not found')
        : error;
    });
    return { ...seen, file };
  }

  private async changeable(memberId: number, fileId: number, deleted = false) {
    const found = ProjectAccess.writable(await this.fileFor(memberId, fileId, 'board', deleted));
    if (found.role !== 'owner' && found.file.uploaderId !== memberId) {
      throw Problem.forbidden('only its uploader or the project owner may change a file');
    }
    return found;
  }

  private async canSee(memberId: number, taskId: number): Promise<boolean> {
    try {
      await this.board.taskFor(memberId, taskId, 'board');
      return true;
    } catch (error) {
      if (error instanceof Problem && error.status === 404) return false;
      throw error;
    }
  }
}
