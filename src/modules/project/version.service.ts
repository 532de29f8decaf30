import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { uniqueOn } from '@/infra/database/unique-violation';
import { TracedService } from '@/telemetry/traced-service';
import { UserDirectory } from '../user/user-directory';
import { BoardAccess } from './board-access';
import type { Paging } from './dto/project.schemas';
import { memberIdsOf, pageOf, taskView } from './dto/project.views';
import type {
  AddVersionTasksRequest,
  ChangeVersionStatusRequest,
  CreateFeatureRequest,
  CreateVersionRequest,
  UpdateFeatureRequest,
  UpdateVersionRequest,
} from './dto/version.schemas';
import { featureView, versionLogView, versionView } from './dto/version.views';
import { VERSION_STATUSES, type ProjectVersion, type Task } from './entities';
import { notFoundAs, ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { TaskTagRepository } from './task-tag.repository';
import { taskTagRef } from './dto/task-tag.views';
import {
  VersionRepository,
  type FeatureChanges,
  type LogLine,
  type VersionChanges,
} from './version.repository';

const FEATURE_NAME_TAKEN = 'a version library of this name exists in the project';
const VERSION_NAME_TAKEN = 'a version of this name exists in the version library';
/** The most tasks a version's task list shows. */
const VERSION_TASK_LIMIT = 500;
const RELEASED = VERSION_STATUSES.indexOf('released');

const uniqueName = <T>(message: string, write: () => Promise<T>) =>
  uniqueOn('name', message, write);

const dateOf = (value: string | null | undefined) => (value ? new Date(value) : null);

/**
 * A project's version libraries (features) and their versions: what each version releases
 * (tasks of the project, each in one version at most), its status, its progress (the share
 * of its tasks done) and its history. Its project's members read and change them, as they
 * change the project's tasks: while the project is out of the recycle bin.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class VersionService {
  constructor(
    private readonly versions: VersionRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
    private readonly directory: UserDirectory,
    private readonly recentWrites: RecentWrites,
    private readonly tags: TaskTagRepository,
  ) {}

  // Features

  async listFeatures(memberId: number, projectId: number) {
    await this.access.require(memberId, projectId);
    return { items: (await this.versions.listFeatures(projectId)).map(featureView) };
  }

  async createFeature(memberId: number, projectId: number, request: CreateFeatureRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId));
    const feature = await uniqueName(FEATURE_NAME_TAKEN, () =>
      this.versions.createFeature({
        projectId,
        name: request.name,
        description: request.description || null,
        createdBy: memberId,
      }),
    );
    await this.board.written(memberId);
    return featureView(feature);
  }

  async updateFeature(memberId: number, featureId: number, request: UpdateFeatureRequest) {
    await this.writableFeature(memberId, featureId);
    const changes: FeatureChanges = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.description !== undefined) changes.description = request.description || null;
    const feature = await uniqueName(FEATURE_NAME_TAKEN, () =>
      this.versions.updateFeature(featureId, changes),
    );
    await this.board.written(memberId);
    return featureView(feature);
  }

  /** With its versions and their history; their tasks stay, in no version. */
  async deleteFeature(memberId: number, featureId: number) {
    await this.writableFeature(memberId, featureId);
    await this.versions.deleteFeature(featureId);
    await this.board.written(memberId);
  }

  // Versions

  async listVersions(memberId: number, featureId: number) {
    const feature = await this.readableFeature(memberId, featureId);
    const rows = await this.versions.listVersions(featureId);
    const progress = await this.versions.progressOf(rows.map((row) => row.id));
    return {
      items: rows.map((row) =>
        versionView(row, feature, progress.get(row.id) ?? { total: 0, done: 0 }),
      ),
    };
  }

  async createVersion(memberId: number, featureId: number, request: CreateVersionRequest) {
    const feature = await this.writableFeature(memberId, featureId);
    const version = await uniqueName(VERSION_NAME_TAKEN, () =>
      this.versions.createVersion({
        featureId,
        projectId: feature.projectId,
        name: request.name,
        description: request.description || null,
        startAt: dateOf(request.startAt),
        plannedPublishAt: dateOf(request.plannedPublishAt),
        createdBy: memberId,
      }),
    );
    await this.board.written(memberId);
    return versionView(version, feature, { total: 0, done: 0 });
  }

  async getVersion(memberId: number, versionId: number) {
    const { version, feature } = await this.readableVersion(memberId, versionId);
    return versionView(version, feature, await this.versions.progress(versionId));
  }

  /** Each field changed is a line of the version's history. */
  async updateVersion(memberId: number, versionId: number, request: UpdateVersionRequest) {
    const { feature } = await this.writableVersion(memberId, versionId);
    const changes: VersionChanges = {};
    const lines: LogLine[] = [];
    if (request.name !== undefined) {
      changes.name = request.name;
      lines.push({ type: 'renamed', content: request.name });
    }
    if (request.description !== undefined) {
      changes.description = request.description || null;
      lines.push(
        changes.description
          ? { type: 'describedAs', content: changes.description }
          : { type: 'descriptionCleared', content: null },
      );
    }
    if (request.startAt !== undefined) {
      changes.startAt = dateOf(request.startAt);
      lines.push(
        changes.startAt
          ? { type: 'startSet', content: changes.startAt.toISOString() }
          : { type: 'startCleared', content: null },
      );
    }
    if (request.plannedPublishAt !== undefined) {
      changes.plannedPublishAt = dateOf(request.plannedPublishAt);
      lines.push(
        changes.plannedPublishAt
          ? { type: 'plannedPublishSet', content: changes.plannedPublishAt.toISOString() }
          : { type: 'plannedPublishCleared', content: null },
      );
    }
    const version = await uniqueName(VERSION_NAME_TAKEN, () =>
      this.versions.updateVersion(versionId, changes, memberId, lines),
    );
    await this.board.written(memberId);
    return versionView(version, feature, await this.versions.progress(versionId));
  }

  /**
   * Released sets when (now unless told, or the time it has when already released); any other
   * status clears it. The history says the new status, or the release time. Nothing asked,
   * nothing changes.
   */
  async changeStatus(memberId: number, versionId: number, request: ChangeVersionStatusRequest) {
    const { version, feature } = await this.writableVersion(memberId, versionId);
    const status = request.status ? VERSION_STATUSES.indexOf(request.status) : version.status;
    if (request.publishedAt !== undefined && status !== RELEASED) {
      throw Problem.invalid([{ field: 'publishedAt', message: 'only for the released status' }]);
    }
    // After the access check: a stranger learns nothing, not even that the body is empty.
    if (request.status === undefined && request.publishedAt === undefined) {
      throw Problem.invalid([
        { field: 'status', message: 'nothing to change: give status, publishedAt or both' },
      ]);
    }
    const kept = version.status === RELEASED ? version.publishedAt : null;
    const publishedAt =
      status === RELEASED ? (dateOf(request.publishedAt) ?? kept ?? new Date()) : null;
    const line: LogLine = publishedAt
      ? { type: 'released', content: new Date(publishedAt).toISOString() }
      : { type: 'statusChanged', content: VERSION_STATUSES[status] };
    const updated = await this.versions.updateVersion(
      versionId,
      { status, publishedAt },
      memberId,
      [line],
    );
    await this.board.written(memberId);
    return versionView(updated, feature, await this.versions.progress(versionId));
  }

  /** Its tasks stay, in no version. */
  async deleteVersion(memberId: number, versionId: number) {
    await this.writableVersion(memberId, versionId);
    await this.versions.deleteVersion(versionId);
    await this.board.written(memberId);
  }

  // What a version releases

  /** The version's tasks the member may see, newest first (at most 500). */
  async listVersionTasks(memberId: number, versionId: number) {
    await this.readableVersion(memberId, versionId);
    const rows = await this.versions.listVersionTasks(versionId, memberId, VERSION_TASK_LIMIT);
    const [members, tags] = await Promise.all([
      this.directory.summaries(
        memberIdsOf(
          rows.map((row) => row.createdBy),
          rows.map((row) => row.assigneeId),
          rows.map((row) => row.doneBy),
        ),
      ),
      this.tags.carriedBy(rows.map((row) => row.id)),
    ]);
    return {
      items: rows.map((row) =>
        taskView(row, members, undefined, undefined, (tags.get(row.id) ?? []).map(taskTagRef)),
      ),
    };
  }

  /**
   * Tasks of the version's project into the version; one in another version moves (each task
   * is in one version at most). Answers how many changed version.
   */
  async addTasks(memberId: number, versionId: number, request: AddVersionTasksRequest) {
    const { version } = await this.writableVersion(memberId, versionId);
    const tasks: Task[] = [];
    for (const taskId of new Set(request.taskIds)) {
      const { task } = await this.board.taskFor(memberId, taskId, 'board');
      if (task.projectId !== version.projectId) {
        throw Problem.invalid([
          { field: 'taskIds', message: "tasks of the version's project only" },
        ]);
      }
      tasks.push(task);
    }
    const added = await this.versions.addTasks(versionId, tasks, memberId);
    await this.board.written(memberId);
    return { added };
  }

  /** The task out of the version it is in (none: nothing changes). */
  async removeTask(memberId: number, taskId: number) {
    const found = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    await this.versions.removeTask(found.task, memberId);
    await this.board.written(memberId);
  }

  // History

  /** Newest first. */
  async listLog(memberId: number, versionId: number, paging: Paging) {
    await this.readableVersion(memberId, versionId);
    const { rows, total } = await this.versions.listLog(versionId, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return pageOf(
      rows.map((row) => versionLogView(row, members)),
      total,
      paging,
    );
  }

  // Access

  /** A feature of a project the member belongs to; unknown and not theirs look the same. */
  private async readableFeature(memberId: number, featureId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const feature = await this.versions.findFeature(featureId);
    if (!feature) throw Problem.notFound('version library not found');
    await this.access.require(memberId, feature.projectId).catch(notFoundAs('version library'));
    return feature;
  }

  private async writableFeature(memberId: number, featureId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const feature = await this.versions.findFeature(featureId);
    if (!feature) throw Problem.notFound('version library not found');
    ProjectAccess.writable(
      await this.access.require(memberId, feature.projectId).catch(notFoundAs('version library')),
    );
    return feature;
  }

  private async readableVersion(memberId: number, versionId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const version = await this.versions.findVersion(versionId);
    if (!version) throw Problem.notFound('version not found');
    const feature = await this.readableFeature(memberId, version.featureId).catch(
      notFoundAs('version'),
    );
    return { version, feature };
  }

  private async writableVersion(
    memberId: number,
    versionId: number,
  ): Promise<{ version: ProjectVersion; feature: { name: string; projectId: number } }> {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const version = await this.versions.findVersion(versionId);
    if (!version) throw Problem.notFound('version not found');
    const feature = await this.writableFeature(memberId, version.featureId).catch(
      notFoundAs('version'),
    );
    return { version, feature };
  }
}
