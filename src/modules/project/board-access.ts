import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import type { Task } from './entities';
import { ProjectAccess, type Need } from './project-access';
import { RecentWrites } from './recent-writes';
import { ProjectRepository } from './project.repository';
import { StageRepository } from './stage.repository';
import { TaskRepository } from './task.repository';

/**
 * Where a task is looked for. Reading one task (its detail, activity, members, work time,
 * files, tags, child tasks), and the bin's own restore and delete, reach it in its project's
 * recycle bin too, for whoever could see it on the board (its view says it is recycled).
 * Every other write, and every list, reaches only tasks on the board: one in the bin is not
 * found (404, as for an unknown id).
 */
export type TaskReach = 'board' | 'boardOrBin';

/**
 * Who may reach what on a task board. A stage or task is as visible as its project, a private
 * task only to its creator, assignee and task members; unknown and hidden look the same.
 */
@Injectable()
export class BoardAccess {
  constructor(
    private readonly stages: StageRepository,
    private readonly tasks: TaskRepository,
    private readonly projects: ProjectRepository,
    private readonly recentWrites: RecentWrites,
  ) {}

  async stageFor(memberId: number, stageId: number, need: Need = 'member') {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const stage = await this.stages.findStage(stageId);
    if (!stage) throw Problem.notFound('stage not found');
    const found = ProjectAccess.check(
      await this.projects.findOfMember(stage.projectId, memberId),
      need,
    );
    return { stage, ...found };
  }

  /** A task the member may see, looked for where `reach` says (see TaskReach). */
  async taskFor(memberId: number, taskId: number, reach: TaskReach) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const task =
      reach === 'board'
        ? await this.tasks.findTask(taskId)
        : await this.tasks.findTaskOrRecycled(taskId);
    if (!task) throw Problem.notFound('task not found');
    const found = ProjectAccess.check(
      await this.projects.findOfMember(task.projectId, memberId),
      'member',
    );
    if (!(await this.tasks.isVisible(task, memberId))) throw Problem.notFound('task not found');
    return { task, ...found };
  }

  /** The member, as a field of a request, must belong to the project. */
  async projectMember(projectId: number, memberId: number, field: string) {
    if (!(await this.projects.roleOf(projectId, memberId))) {
      throw Problem.invalid([{ field, message: 'not a member of this project' }]);
    }
    return memberId;
  }

  /** Members named in a request, each once: all must belong to the project (400 otherwise). */
  async projectMembers(projectId: number, memberIds: number[], field: string) {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return ids;
    const members = new Set(await this.projects.membersAmong(projectId, ids));
    if (ids.some((id) => !members.has(id))) {
      throw Problem.invalid([{ field, message: 'not a member of this project' }]);
    }
    return ids;
  }

  /**
   * Members named in a request (a comment's mentions) who may be told about the task, each
   * once: all must belong to the task's project (400 naming the field otherwise); of a private
   * task, those who cannot see it are left out, so that nobody learns of a task hidden from
   * them and the request still succeeds (the author may not know who sees it).
   */
  async taskAudience(task: Task, memberIds: number[], field: string): Promise<number[]> {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return ids;
    const members = new Set(await this.projects.membersAmong(task.projectId, ids));
    if (ids.some((id) => !members.has(id))) {
      throw Problem.invalid([{ field, message: 'not a member of this project' }]);
    }
    const audience: number[] = [];
    for (const id of ids) {
      if (await this.tasks.isVisible(task, id)) audience.push(id);
    }
    return audience;
  }

  async written(memberId: number) {
    await this.recentWrites.written(memberId);
  }
}
