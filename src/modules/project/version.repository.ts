import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Problem } from '@/common/problem';
import { In, Repository, type EntityManager } from 'typeorm';
import { offset, visibleTask } from './board-queries';
import { BoardLocks } from './board-locks';
import type { Paging } from './dto/project.schemas';
import type { VersionProgress } from './dto/version.views';
import { ProjectFeature, ProjectVersion, Task, VersionLog, type VersionLogType } from './entities';

export type FeatureChanges = Partial<Pick<ProjectFeature, 'name' | 'description'>>;
export type VersionChanges = Partial<
  Pick<
    ProjectVersion,
    'name' | 'description' | 'startAt' | 'plannedPublishAt' | 'status' | 'publishedAt'
  >
>;

export interface NewVersion {
  featureId: number;
  projectId: number;
  name: string;
  description: string | null;
  startAt: Date | null;
  plannedPublishAt: Date | null;
  createdBy: number;
}

export interface LogLine {
  type: VersionLogType;
  content: string | null;
}

const NO_TASKS: VersionProgress = { total: 0, done: 0 };

/**
 * A project's version libraries (features), their versions, each version's history, and which
 * tasks a version releases (task.versionId). A version's changes and its history line are
 * written together.
 */
@Injectable()
export class VersionRepository {
  constructor(
    @InjectRepository(ProjectFeature) private readonly features: Repository<ProjectFeature>,
    @InjectRepository(ProjectVersion) private readonly versions: Repository<ProjectVersion>,
    @InjectRepository(VersionLog) private readonly logs: Repository<VersionLog>,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly locks: BoardLocks,
  ) {}

  // Features

  /** Newest first, as the client's library menu lists them. */
  listFeatures(projectId: number): Promise<ProjectFeature[]> {
    return this.features.find({ where: { projectId }, order: { id: 'DESC' } });
  }

  findFeature(id: number): Promise<ProjectFeature | null> {
    return this.features.findOneBy({ id });
  }

  createFeature(feature: Omit<ProjectFeature, 'id' | 'createdAt' | 'updatedAt'>) {
    return this.features.save(this.features.create(feature));
  }

  async updateFeature(id: number, changes: FeatureChanges): Promise<ProjectFeature> {
    await this.features.update({ id }, changes);
    return (await this.features.findOneBy({ id }))!;
  }

  /** The feature, its versions and their history; their tasks stay, in no version. */
  deleteFeature(id: number): Promise<void> {
    return this.locks.transaction(async (manager) => {
      const versions = await manager.find(ProjectVersion, {
        where: { featureId: id },
        select: { id: true },
      });
      await this.dropVersions(
        manager,
        versions.map((version) => version.id),
      );
      await manager.delete(ProjectFeature, { id });
    });
  }

  // Versions

  /** Oldest first. */
  listVersions(featureId: number): Promise<ProjectVersion[]> {
    return this.versions.find({ where: { featureId }, order: { id: 'ASC' } });
  }

  findVersion(id: number): Promise<ProjectVersion | null> {
    return this.versions.findOneBy({ id });
  }

  /** How many tasks (out of the recycle bin) each version has, and how many are done. */
  async progressOf(versionIds: number[]): Promise<Map<number, VersionProgress>> {
    const progress = new Map<number, VersionProgress>();
    if (versionIds.length === 0) return progress;
    const rows = await this.tasks
      .createQueryBuilder('task')
      .select('task.versionId', 'versionId')
      .addSelect('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN task.done = :done THEN 1 ELSE 0 END)', 'done')
      .where('task.versionId IN (:...versionIds) AND task.deleted = :live', {
        versionIds,
        live: false,
        done: true,
      })
      .groupBy('task.versionId')
      .getRawMany<{ versionId: number | string; total: number | string; done: number | string }>();
    for (const row of rows) {
      progress.set(Number(row.versionId), { total: Number(row.total), done: Number(row.done) });
    }
    return progress;
  }

  async progress(versionId: number): Promise<VersionProgress> {
    return (await this.progressOf([versionId])).get(versionId) ?? NO_TASKS;
  }

  createVersion(version: NewVersion): Promise<ProjectVersion> {
    return this.locks.transaction(async (manager) => {
      const saved = await manager.save(ProjectVersion, manager.create(ProjectVersion, version));
      await this.log(manager, saved.id, version.createdBy, {
        type: 'created',
        content: saved.name,
      });
      return saved;
    });
  }

  /** The changes and one history line each. */
  updateVersion(
    id: number,
    changes: VersionChanges,
    memberId: number,
    lines: LogLine[],
  ): Promise<ProjectVersion> {
    return this.locks.transaction(async (manager) => {
      await manager.update(ProjectVersion, { id }, changes);
      for (const line of lines) await this.log(manager, id, memberId, line);
      return (await manager.findOneBy(ProjectVersion, { id }))!;
    });
  }

  /** The version and its history; its tasks stay, in no version. */
  deleteVersion(id: number): Promise<void> {
    return this.locks.transaction((manager) => this.dropVersions(manager, [id]));
  }

  // The tasks a version releases

  /** The version's tasks out of the recycle bin that the viewer may see, newest first. */
  listVersionTasks(versionId: number, viewerId: number, limit: number): Promise<Task[]> {
    return this.tasks
      .createQueryBuilder('task')
      .where('task.versionId = :versionId AND task.deleted = :live', { versionId, live: false })
      .andWhere(visibleTask('task'), { open: false, viewerId })
      .orderBy('task.id', 'DESC')
      .take(limit)
      .getMany();
  }

  /**
   * The tasks into the version (out of any other, whose history says so): how many changed
   * version. A task already in it is left as it is.
   */
  addTasks(versionId: number, tasks: Task[], memberId: number): Promise<number> {
    return this.locks.transaction(async (manager) => {
      if (!(await this.locks.lock(manager, ProjectVersion, versionId))) {
        throw Problem.notFound('version not found');
      }
      const locked = await manager.find(Task, {
        where: { id: In(tasks.map((task) => task.id)) },
        lock: this.locks.sqlite ? undefined : { mode: 'pessimistic_write' },
        order: { id: 'ASC' },
      });
      const moving = locked.filter((task) => !task.deleted && task.versionId !== versionId);
      if (moving.length === 0) return 0;
      const leaving = new Map<number, string[]>();
      for (const task of moving) {
        if (task.versionId)
          leaving.set(task.versionId, [...(leaving.get(task.versionId) ?? []), task.name]);
      }
      await manager.update(Task, { id: In(moving.map((task) => task.id)) }, { versionId });
      const stillThere = await manager.find(ProjectVersion, {
        where: { id: In([...leaving.keys()]) },
        select: { id: true },
      });
      for (const { id } of stillThere) {
        await this.log(manager, id, memberId, {
          type: 'taskRemoved',
          content: leaving.get(id)!.join('\n'),
        });
      }
      await this.log(manager, versionId, memberId, {
        type: 'tasksAdded',
        content: moving.map((task) => task.name).join('\n'),
      });
      return moving.length;
    });
  }

  /** The task out of its version, said in that version's history. */
  removeTask(task: Task, memberId: number): Promise<void> {
    return this.locks.transaction(async (manager) => {
      const versionId = task.versionId;
      if (!versionId) return;
      const { affected } = await manager.update(
        Task,
        { id: task.id, versionId },
        { versionId: null },
      );
      if (affected) {
        await this.log(manager, versionId, memberId, { type: 'taskRemoved', content: task.name });
      }
    });
  }

  // History

  /** Newest first. */
  async listLog(versionId: number, paging: Paging) {
    const [rows, total] = await this.logs.findAndCount({
      where: { versionId },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  private async log(manager: EntityManager, versionId: number, memberId: number, line: LogLine) {
    await manager.insert(VersionLog, { versionId, memberId, ...line });
  }

  private async dropVersions(manager: EntityManager, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.update(Task, { versionId: In(ids) }, { versionId: null });
    await manager.delete(VersionLog, { versionId: In(ids) });
    await manager.delete(ProjectVersion, { id: In(ids) });
  }
}
