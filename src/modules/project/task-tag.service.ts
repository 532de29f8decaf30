import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { TracedService } from '@/telemetry/traced-service';
import { BoardAccess } from './board-access';
import type { Paging } from './dto/project.schemas';
import { pageOf } from './dto/project.views';
import type { CreateTaskTagRequest, UpdateTaskTagRequest } from './dto/task-tag.schemas';
import { taskTagRef, taskTagView } from './dto/task-tag.views';
import type { Task, TaskTag } from './entities';
import { notFoundAs, ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { TaskService } from './task.service';
import { TaskTagRepository, type TaskTagChanges } from './task-tag.repository';

/** The most tags a project has. */
export const MAX_PROJECT_TAGS = 100;
const DEFAULT_COLOR = 'blue';

/**
 * A project's task tags (a name, unique in the project whatever its letter case, and a
 * colour) and the tasks that carry them. The project's members read and change them as they
 * change its tasks: while the project is out of the recycle bin. A tag goes on its own
 * project's tasks only; another project's tag is not found.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskTagService {
  constructor(
    private readonly tags: TaskTagRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
    private readonly tasks: TaskService,
    private readonly recentWrites: RecentWrites,
  ) {}

  /** Oldest first. */
  async listTags(memberId: number, projectId: number) {
    await this.access.require(memberId, projectId);
    return { items: (await this.tags.listOfProject(projectId)).map(taskTagView) };
  }

  async createTag(memberId: number, projectId: number, request: CreateTaskTagRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId));
    const tag = await this.tags.create(
      {
        projectId,
        name: request.name,
        color: request.color ?? DEFAULT_COLOR,
        createdBy: memberId,
      },
      MAX_PROJECT_TAGS,
    );
    if (!tag) {
      throw Problem.failedPrecondition(
        `a project has at most ${MAX_PROJECT_TAGS} tags`,
        undefined,
        'too_many_tags',
      );
    }
    await this.board.written(memberId);
    return taskTagView(tag);
  }

  async updateTag(memberId: number, tagId: number, request: UpdateTaskTagRequest) {
    const tag = await this.writableTag(memberId, tagId);
    const changes: TaskTagChanges = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.color !== undefined) changes.color = request.color;
    const updated = await this.tags.update(tag, changes);
    await this.board.written(memberId);
    return taskTagView(updated);
  }

  /** Off every task that carries it. */
  async deleteTag(memberId: number, tagId: number) {
    await this.writableTag(memberId, tagId);
    await this.tags.delete(tagId);
    await this.board.written(memberId);
  }

  /** The tag's tasks that the member may see (out of the recycle bin), newest first. */
  async listTaggedTasks(memberId: number, tagId: number, paging: Paging) {
    await this.readableTag(memberId, tagId);
    const { rows, total } = await this.tags.listTasks(tagId, memberId, paging);
    return pageOf(await this.tasks.viewsOf(memberId, rows), total, paging);
  }

  /** The tags a task (on the board or in the recycle bin) carries, as it shows them. */
  async listTagsOfTask(memberId: number, taskId: number) {
    const { task } = await this.board.taskFor(memberId, taskId, 'boardOrBin');
    return this.tagsOf(task);
  }

  /** Puts a tag of the task's project on the task (again changes nothing); the task's tags. */
  async tagTask(memberId: number, taskId: number, tagId: number) {
    const task = await this.taggable(memberId, taskId, tagId);
    await this.tags.setTagged(taskId, tagId, true, memberId);
    await this.board.written(memberId);
    return this.tagsOf(task);
  }

  /** Takes the tag off the task (one it does not carry: nothing changes). */
  async untagTask(memberId: number, taskId: number, tagId: number) {
    await this.taggable(memberId, taskId, tagId);
    await this.tags.setTagged(taskId, tagId, false, memberId);
    await this.board.written(memberId);
  }

  /** Puts the tag on the task, or takes it off when the task carries it: whether it does now. */
  async toggleTag(memberId: number, taskId: number, tagId: number) {
    await this.taggable(memberId, taskId, tagId);
    const tagged = await this.tags.setTagged(taskId, tagId, 'toggle', memberId);
    await this.board.written(memberId);
    return { tagged };
  }

  private async tagsOf(task: Task) {
    const carried = (await this.tags.carriedBy([task.id])).get(task.id) ?? [];
    return { items: carried.map(taskTagRef) };
  }

  /** A task on the board the member sees, of a project out of the bin, and a tag of its project. */
  private async taggable(memberId: number, taskId: number, tagId: number): Promise<Task> {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const tag = await this.tags.findTag(tagId);
    if (tag?.projectId !== task.projectId) throw Problem.notFound('tag not found');
    return task;
  }

  /** A tag of a project the member belongs to; unknown and not theirs look the same. */
  private async readableTag(memberId: number, tagId: number): Promise<TaskTag> {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const tag = await this.tags.findTag(tagId);
    if (!tag) throw Problem.notFound('tag not found');
    await this.access.require(memberId, tag.projectId).catch(notFoundAs('tag'));
    return tag;
  }

  private async writableTag(memberId: number, tagId: number): Promise<TaskTag> {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const tag = await this.tags.findTag(tagId);
    if (!tag) throw Problem.notFound('tag not found');
    ProjectAccess.writable(
      await this.access.require(memberId, tag.projectId).catch(notFoundAs('tag')),
    );
    return tag;
  }
}
