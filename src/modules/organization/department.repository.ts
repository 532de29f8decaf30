import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Like, Not, Repository } from 'typeorm';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { pathUnder, subtreePrefix } from './department-tree';
import { Department } from './entities';

const BY_SORT = { sort: 'ASC', id: 'ASC' } as const;

/** An organization's department tree. Writes run under the organization's lock. */
@Injectable()
export class DepartmentRepository {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  /** The organization's department with this id; null for any other. */
  find(
    organizationId: number,
    id: number,
    manager: EntityManager = this.departments.manager,
  ): Promise<Department | null> {
    return manager.findOneBy(Department, { id, organizationId });
  }

  /** One level of the tree: the top (parentId null) or a department's sub-departments. */
  async listChildren(
    organizationId: number,
    parentId: number | null,
    { page, pageSize }: Paging,
  ): Promise<{ rows: Department[]; total: number }> {
    const [rows, total] = await this.departments.findAndCount({
      where: { organizationId, parentId: parentId ?? IsNull() },
      order: BY_SORT,
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { rows, total };
  }

  /** Every department of the organization (a bounded number), siblings in their order. */
  listAll(organizationId: number): Promise<Department[]> {
    return this.departments.find({ where: { organizationId }, order: BY_SORT });
  }

  count(manager: EntityManager, organizationId: number): Promise<number> {
    return manager.countBy(Department, { organizationId });
  }

  hasChildren(manager: EntityManager, department: Department): Promise<boolean> {
    return manager.existsBy(Department, {
      organizationId: department.organizationId,
      parentId: department.id,
    });
  }

  /** The paths of every department below `department`. */
  async pathsBelow(manager: EntityManager, department: Department): Promise<string[]> {
    const rows = await manager.find(Department, {
      select: { path: true },
      where: {
        organizationId: department.organizationId,
        path: Like(`${subtreePrefix(department)}%`),
      },
    });
    return rows.map((row) => row.path);
  }

  /** After its last sibling under `parent` (at the top when null). */
  async create(
    manager: EntityManager,
    organizationId: number,
    parent: Department | null,
    name: string,
  ): Promise<Department> {
    return manager.save(
      Department,
      manager.create(Department, {
        organizationId,
        parentId: parent?.id ?? null,
        name,
        path: pathUnder(parent),
        sort: await this.nextSort(manager, organizationId, parent),
      }),
    );
  }

  async rename(manager: EntityManager, id: number, name: string): Promise<void> {
    await manager.update(Department, { id }, { name });
  }

  /**
   * Puts `department` after its new siblings under `parent` and rewrites the path of its whole
   * subtree in one statement: every path that started with the old prefix starts with the new.
   */
  async move(
    manager: EntityManager,
    department: Department,
    parent: Department | null,
  ): Promise<void> {
    const path = pathUnder(parent);
    const oldPrefix = subtreePrefix(department);
    const newPrefix = subtreePrefix({ id: department.id, path });
    const sort = await this.nextSort(manager, department.organizationId, parent, department.id);
    await manager.update(
      Department,
      { id: department.id },
      { parentId: parent?.id ?? null, path, sort },
    );
    await manager
      .createQueryBuilder()
      .update(Department)
      .set({ path: () => 'CONCAT(:newPrefix, SUBSTRING(path, :cut))' })
      .where('organizationId = :organizationId', { organizationId: department.organizationId })
      .andWhere('path LIKE :below', { below: `${oldPrefix}%` })
      .setParameters({ newPrefix, cut: oldPrefix.length + 1 })
      .execute();
  }

  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.delete(Department, { id });
  }

  private async nextSort(
    manager: EntityManager,
    organizationId: number,
    parent: Department | null,
    except?: number,
  ): Promise<number> {
    const last = await manager.findOne(Department, {
      select: { sort: true },
      where: {
        organizationId,
        parentId: parent?.id ?? IsNull(),
        ...(except === undefined ? {} : { id: Not(except) }),
      },
      order: { sort: 'DESC' },
    });
    return (last?.sort ?? -1) + 1;
  }
}
