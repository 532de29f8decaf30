import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, Repository } from 'typeorm';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { StoredFile } from './entities';

export type NewFile = Omit<StoredFile, 'id' | 'downloads' | 'deleted' | 'deletedAt' | 'createdAt'>;

const offset = ({ page, pageSize }: Paging) => (page - 1) * pageSize;

/** The `file` table: task attachments, newest first. */
@Injectable()
export class FileRepository {
  constructor(@InjectRepository(StoredFile) private readonly files: Repository<StoredFile>) {}

  findFile(id: number): Promise<StoredFile | null> {
    return this.files.findOneBy({ id });
  }

  findByUpload(uploadId: string): Promise<StoredFile | null> {
    return this.files.findOneBy({ uploadId });
  }

  addFile(file: NewFile): Promise<StoredFile> {
    return this.files.save(this.files.create(file));
  }

  countLiveOfTask(taskId: number): Promise<number> {
    return this.files.countBy({ taskId, deleted: false });
  }

  async listOfTask(taskId: number, paging: Paging) {
    const [rows, total] = await this.files.findAndCount({
      where: { taskId, deleted: false },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** The tasks of a project that have files (live, or in the recycle bin). */
  async tasksWithFiles(projectId: number, deleted: boolean): Promise<number[]> {
    const rows = await this.files
      .createQueryBuilder('file')
      .select('DISTINCT file.taskId', 'taskId')
      .where('file.projectId = :projectId AND file.deleted = :deleted', { projectId, deleted })
      .getRawMany<{ taskId: number | string }>();
    return rows.map((row) => Number(row.taskId));
  }

  async listOfTasks(projectId: number, taskIds: number[], deleted: boolean, paging: Paging) {
    if (taskIds.length === 0) return { rows: [], total: 0 };
    const [rows, total] = await this.files.findAndCount({
      where: { projectId, taskId: In(taskIds), deleted },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  async rename(id: number, title: string): Promise<void> {
    await this.files.update({ id }, { title });
  }

  async setDeleted(id: number, deleted: boolean): Promise<void> {
    await this.files.update({ id }, { deleted, deletedAt: deleted ? new Date() : null });
  }

  /** The row of a file in the recycle bin; false when it was not there (any more). */
  async removeRecycled(id: number): Promise<boolean> {
    const result = await this.files.delete({ id, deleted: true });
    return (result.affected ?? 0) > 0;
  }

  async countDownload(id: number): Promise<void> {
    await this.files.increment({ id }, 'downloads', 1);
  }

  /** Every file of the tasks, deleted or not, gone from the table in `manager`'s transaction. */
  async removeOfTasks(taskIds: number[], manager: EntityManager): Promise<StoredFile[]> {
    const rows = await manager.findBy(StoredFile, { taskId: In(taskIds) });
    if (rows.length) await manager.delete(StoredFile, { id: In(rows.map((row) => row.id)) });
    return rows;
  }
}
