import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { BoardLocks } from './board-locks';
import { MAX_INFO_SORT } from './dto/project-info.schemas';
import { Project, ProjectInfoField } from './entities';

export type InfoFieldChanges = Partial<
  Pick<ProjectInfoField, 'name' | 'value' | 'description' | 'sort'>
>;

export interface NewInfoField {
  name: string;
  value: string;
  description: string | null;
  /** After the project's last field when undefined. */
  sort: number | undefined;
}

/** Projects' custom information fields. */
@Injectable()
export class ProjectInfoRepository {
  constructor(
    @InjectRepository(ProjectInfoField) private readonly fields: Repository<ProjectInfoField>,
    private readonly locks: BoardLocks,
  ) {}

  /** The project's fields by their sort, then oldest first. */
  listForProject(projectId: number): Promise<ProjectInfoField[]> {
    return this.fields.find({ where: { projectId }, order: { sort: 'ASC', id: 'ASC' } });
  }

  findField(id: number): Promise<ProjectInfoField | null> {
    return this.fields.findOneBy({ id });
  }

  /**
   * A new field, under the project's row lock: it caps their number (`countBelow` throws to
   * refuse) and places a field with no sort after the last one.
   */
  createField(
    projectId: number,
    createdBy: number,
    field: NewInfoField,
    countBelow: (count: number) => void,
  ): Promise<ProjectInfoField> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, Project, projectId);
      countBelow(await manager.countBy(ProjectInfoField, { projectId }));
      const sort = field.sort ?? (await nextSort(manager, projectId));
      return manager.save(
        ProjectInfoField,
        manager.create(ProjectInfoField, { ...field, sort, projectId, createdBy }),
      );
    });
  }

  /** Read back in the same transaction: on the primary, whatever replicas hold yet. */
  updateField(id: number, changes: InfoFieldChanges): Promise<ProjectInfoField> {
    return this.locks.transaction(async (manager) => {
      await manager.update(ProjectInfoField, { id }, { ...changes, updatedAt: new Date() });
      return manager.findOneByOrFail(ProjectInfoField, { id });
    });
  }

  async deleteField(id: number): Promise<void> {
    await this.fields.delete({ id });
  }

  /** With a project deleted for good, in its transaction. */
  async deleteAllOfProject(manager: EntityManager, projectId: number): Promise<void> {
    await manager.delete(ProjectInfoField, { projectId });
  }
}

async function nextSort(manager: EntityManager, projectId: number): Promise<number> {
  const row = await manager
    .createQueryBuilder(ProjectInfoField, 'field')
    .select('MAX(field.sort)', 'last')
    .where('field.projectId = :projectId', { projectId })
    .getRawOne<{ last: number | string | null }>();
  const last = row?.last === null || row?.last === undefined ? -1 : Number(row.last);
  return Math.min(last + 1, MAX_INFO_SORT);
}
