import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { UserDirectory } from '../user/user-directory';
import { ActivityRepository } from './activity.repository';
import { BoardAccess } from './board-access';
import type { Paging, TaskActivityQuery } from './dto/project.schemas';
import { activityView, memberIdsOf, pageOf } from './dto/project.views';
import { ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { ProjectNotifications } from './project-notifications';

/** The activity stream of tasks and projects, comments included. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ActivityService {
  constructor(
    private readonly activity: ActivityRepository,
    private readonly recentWrites: RecentWrites,
    private readonly directory: UserDirectory,
    private readonly board: BoardAccess,
    private readonly notify: ProjectNotifications,
    private readonly access: ProjectAccess,
  ) {}

  async taskActivity(memberId: number, taskId: number, query: TaskActivityQuery) {
    await this.board.taskFor(memberId, taskId, 'boardOrBin');
    const { rows, total } = await this.activity.listTaskActivity(
      taskId,
      query.type === 'comments',
      query,
    );
    return this.activityPage(rows, total, query);
  }

  /**
   * The mentioned members are told in the comment's transaction (the author never, nor a
   * member who cannot see the private task: the comment is kept all the same).
   */
  async comment(memberId: number, taskId: number, content: string, mentions: number[] = []) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const mentioned = await this.board.taskAudience(task, mentions, 'mentions');
    const entry = await this.activity.addActivity(
      { projectId: task.projectId, taskId, memberId, type: 'comment', content },
      mentioned.length
        ? (manager) => this.notify.mentioned(manager, task, mentioned, memberId)
        : undefined,
    );
    await this.board.written(memberId);
    return activityView(entry, await this.directory.summaries([memberId]));
  }

  async myActivity(memberId: number, paging: Paging) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.activity.listForMemberProjects(memberId, paging);
    return this.activityPage(rows, total, paging);
  }

  /** One project's newest activity, as its member sees it (hidden and recycled tasks' left out). */
  async projectActivity(memberId: number, projectId: number, paging: Paging) {
    await this.access.require(memberId, projectId);
    const { rows, total } = await this.activity.listForMemberProject(memberId, projectId, paging);
    return this.activityPage(rows, total, paging);
  }

  private async activityPage(
    rows: Parameters<typeof activityView>[0][],
    total: number,
    paging: Paging,
  ) {
    const members = await this.directory.summaries(
      memberIdsOf(
        rows.map((row) => row.memberId),
        rows.map((row) => row.toMemberId),
      ),
    );
    return pageOf(
      rows.map((row) => activityView(row, members)),
      total,
      paging,
    );
  }
}
