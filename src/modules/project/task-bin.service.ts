import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { BoardAccess } from './board-access';
import { MAX_BATCH_TASKS, type Paging } from './dto/project.schemas';
import { pageOf } from './dto/project.views';
import type { Task } from './entities';
import { ProjectAccess } from './project-access';
import { notRecycled, TaskBinRepository } from './task-bin.repository';
import { TaskService } from './task.service';

/**
 * The tasks' recycle bin. Any project member who can see a task may recycle it (it is undone
 * by a restore, nothing is lost); restoring it or deleting it for good is for its creator and
 * the project's owner. Whether the task is in the bin at all is answered before who asks: a
 * member who can see the task learns nothing new from it.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskBinService {
  constructor(
    private readonly bin: TaskBinRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
    private readonly tasks: TaskService,
  ) {}

  async listRecycled(memberId: number, projectId: number, paging: Paging) {
    await this.access.require(memberId, projectId);
    const { rows, total } = await this.bin.listRecycled(projectId, memberId, paging);
    return pageOf(await this.tasks.viewsOf(memberId, rows), total, paging);
  }

  async recycle(memberId: number, taskId: number) {
    ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const task = await this.bin.recycle(taskId, memberId);
    await this.board.written(memberId);
    return (await this.tasks.viewsOf(memberId, [task]))[0];
  }

  /**
   * Every task of a stage's board that the member sees, into the bin at once: all or none,
   * and none when there are more than MAX_BATCH_TASKS.
   */
  async recycleStage(memberId: number, stageId: number) {
    ProjectAccess.writable(await this.board.stageFor(memberId, stageId));
    const recycled = await this.bin.recycleStage(stageId, memberId, MAX_BATCH_TASKS);
    await this.board.written(memberId);
    return { recycled };
  }

  async restore(memberId: number, taskId: number) {
    await this.recycledFor(memberId, taskId);
    await this.bin.restore(taskId, memberId);
    await this.board.written(memberId);
    return this.tasks.getTask(memberId, taskId);
  }

  async deleteForGood(memberId: number, taskId: number) {
    await this.recycledFor(memberId, taskId);
    await this.bin.deleteForGood(taskId, memberId);
    await this.board.written(memberId);
  }

  /** A recycled task the member may take out of the bin: its creator or the project's owner. */
  private async recycledFor(memberId: number, taskId: number): Promise<Task> {
    const found = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'boardOrBin'));
    if (!found.task.deleted) throw notRecycled();
    if (found.role !== 'owner' && found.task.createdBy !== memberId) {
      throw Problem.forbidden("only the task's creator or the project owner may do this");
    }
    return found.task;
  }
}
