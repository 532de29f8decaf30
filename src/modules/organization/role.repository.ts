import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { Role, RoleNode, type RoleKind, type RoleStatus } from './entities';
import { ADMIN_GRANTS, MEMBER_GRANTS } from './permission-catalogue';

export type RoleChanges = Partial<Pick<Role, 'name' | 'description'>>;

type SeededKind = Exclude<RoleKind, 'custom'>;

/** The two roles every organization starts with, as the original seeded them. */
const SEEDED_ROLES: {
  kind: SeededKind;
  description: string;
  isDefault: boolean;
  grants: readonly string[];
}[] = [
  {
    kind: 'admin',
    description: 'Manages the organization',
    isDefault: false,
    grants: ADMIN_GRANTS,
  },
  {
    kind: 'member',
    description: 'Works in the organization',
    isDefault: true,
    grants: MEMBER_GRANTS,
  },
];

/** Organization roles and the nodes they hold: the tables org_role and org_role_node, by intent. */
@Injectable()
export class RoleRepository {
  constructor(
    @InjectRepository(Role) private readonly roles: Repository<Role>,
    @InjectRepository(RoleNode) private readonly roleNodes: Repository<RoleNode>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private get sqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * A transaction of role changes. READ COMMITTED: a read made after taking a lock sees what
   * the lock's previous holder committed. SQLite serializes writers by itself.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.sqlite
      ? this.dataSource.transaction(work)
      : this.dataSource.transaction('READ COMMITTED', work);
  }

  /** The organization's admin and member roles with the original's grants; member is the default. */
  async seed(organizationId: number, manager: EntityManager): Promise<Record<SeededKind, Role>> {
    const seeded = {} as Record<SeededKind, Role>;
    for (const { kind, description, isDefault, grants } of SEEDED_ROLES) {
      const role = await manager.save(
        Role,
        manager.create(Role, { organizationId, name: kind, description, kind, isDefault }),
      );
      await manager.insert(
        RoleNode,
        grants.map((node) => ({ roleId: role.id, node })),
      );
      seeded[kind] = role;
    }
    return seeded;
  }

  async list(organizationId: number, paging: Paging): Promise<{ rows: Role[]; total: number }> {
    const [rows, total] = await this.roles.findAndCount({
      where: { organizationId },
      order: { id: 'ASC' },
      skip: (paging.page - 1) * paging.pageSize,
      take: paging.pageSize,
    });
    return { rows, total };
  }

  find(organizationId: number, roleId: number): Promise<Role | null> {
    return this.roles.findOneBy({ id: roleId, organizationId });
  }

  /** The role new accounts of the organization get. */
  findDefault(organizationId: number, manager?: EntityManager): Promise<Role | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Role, {
      organizationId,
      isDefault: true,
    });
  }

  /**
   * Locks every role of the organization, in id order, until the transaction ends: changes
   * that involve more than one role (the default, a deletion) take this one lock set.
   */
  lockAll(organizationId: number, manager: EntityManager): Promise<Role[]> {
    const query = manager
      .createQueryBuilder(Role, 'role')
      .where('role.organizationId = :organizationId', { organizationId })
      .orderBy('role.id', 'ASC');
    if (!this.sqlite) query.setLock('pessimistic_write');
    return query.getMany();
  }

  /** Locks one role of the organization: shared to use it (assign it), exclusive to change it. */
  lockOne(
    organizationId: number,
    roleId: number,
    mode: 'use' | 'change',
    manager: EntityManager,
  ): Promise<Role | null> {
    const query = manager
      .createQueryBuilder(Role, 'role')
      .where('role.id = :roleId AND role.organizationId = :organizationId', {
        roleId,
        organizationId,
      });
    if (!this.sqlite) query.setLock(mode === 'use' ? 'pessimistic_read' : 'pessimistic_write');
    return query.getOne();
  }

  create(organizationId: number, input: RoleChanges & { name: string }): Promise<Role> {
    return this.roles.save(
      this.roles.create({
        organizationId,
        name: input.name,
        description: input.description ?? null,
        kind: 'custom',
        isDefault: false,
      }),
    );
  }

  async update(roleId: number, changes: RoleChanges): Promise<void> {
    await this.roles.update({ id: roleId }, changes);
  }

  async delete(roleId: number, manager: EntityManager): Promise<void> {
    await manager.delete(RoleNode, { roleId });
    await manager.delete(Role, { id: roleId });
  }

  async setStatus(roleId: number, status: RoleStatus, manager: EntityManager): Promise<void> {
    await manager.update(Role, { id: roleId }, { status });
  }

  async makeDefault(organizationId: number, roleId: number, manager: EntityManager): Promise<void> {
    await manager.update(Role, { organizationId, isDefault: true }, { isDefault: false });
    await manager.update(Role, { id: roleId }, { isDefault: true });
  }

  async nodesOf(roleId: number): Promise<string[]> {
    const rows = await this.roleNodes.find({
      select: { node: true },
      where: { roleId },
      order: { node: 'ASC' },
    });
    return rows.map((row) => row.node);
  }

  /** The role's nodes become exactly `nodes`. */
  async replaceNodes(
    roleId: number,
    nodes: readonly string[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.delete(RoleNode, { roleId });
    if (nodes.length)
      await manager.insert(
        RoleNode,
        nodes.map((node) => ({ roleId, node })),
      );
  }
}
