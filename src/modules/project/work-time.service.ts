import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { UserDirectory } from '../user/user-directory';
import { BoardAccess } from './board-access';
import type { AddWorkTimeRequest, Paging, UpdateWorkTimeRequest } from './dto/project.schemas';
import { memberIdsOf, pageOf, workTimeView } from './dto/project.views';
import { ProjectAccess } from './project-access';
import { WorkTimeRepository, type WorkTimeChanges } from './work-time.repository';

/**
 * Time spent on tasks. Any project member who can see a task logs time on it and reads its
 * entries; an entry is changed or deleted by its author or the project's owner.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class WorkTimeService {
  constructor(
    private readonly workTimes: WorkTimeRepository,
    private readonly board: BoardAccess,
    private readonly directory: UserDirectory,
  ) {}

  async addWorkTime(memberId: number, taskId: number, request: AddWorkTimeRequest) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const entry = await this.workTimes.add({
      taskId,
      projectId: task.projectId,
      memberId,
      beginAt: request.beginAt ? new Date(request.beginAt) : new Date(),
      hours: request.hours,
      description: request.description ?? null,
    });
    await this.board.written(memberId);
    return workTimeView(entry, await this.directory.summaries([memberId]));
  }

  async listWorkTimes(memberId: number, taskId: number, paging: Paging) {
    await this.board.taskFor(memberId, taskId, 'boardOrBin');
    const { rows, total, totalHours } = await this.workTimes.listForTask(taskId, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return {
      ...pageOf(
        rows.map((row) => workTimeView(row, members)),
        total,
        paging,
      ),
      totalHours,
    };
  }

  async updateWorkTime(memberId: number, workTimeId: number, request: UpdateWorkTimeRequest) {
    await this.editable(memberId, workTimeId);
    const changes: WorkTimeChanges = {};
    if (request.beginAt !== undefined) changes.beginAt = new Date(request.beginAt);
    if (request.hours !== undefined) changes.hours = request.hours;
    if (request.description !== undefined) changes.description = request.description;
    const entry = await this.workTimes.updateWorkTime(workTimeId, changes);
    await this.board.written(memberId);
    return workTimeView(entry, await this.directory.summaries([entry.memberId]));
  }

  async deleteWorkTime(memberId: number, workTimeId: number) {
    await this.editable(memberId, workTimeId);
    await this.workTimes.deleteWorkTime(workTimeId);
    await this.board.written(memberId);
  }

  /**
   * An entry the member may change: on a task they can see (else it looks unknown), and
   * theirs or in a project they own.
   */
  private async editable(memberId: number, workTimeId: number) {
    const entry = await this.workTimes.findWorkTime(workTimeId);
    if (!entry) throw Problem.notFound('work time not found');
    const found = await this.board
      .taskFor(memberId, entry.taskId, 'board')
      .catch((error: unknown) => {
        throw error instanceof Problem && error.status === 404
          ? Problem.notFound('work time not found')
          : error;
      });
    if (entry.memberId !== memberId && found.role !== 'owner') {
      throw Problem.forbidden('only its author or the project owner may change this entry');
    }
    ProjectAccess.writable(found);
    return entry;
  }
}
