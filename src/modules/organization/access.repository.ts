import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Role, RoleNode } from './entities';

/** The nodes of the role, none while it is disabled. */
function grantedNodes(manager: EntityManager, roleId: number) {
  return manager
    .createQueryBuilder(RoleNode, 'grant')
    .innerJoin(Role, 'role', 'role.id = grant.roleId')
    .where('grant.roleId = :roleId', { roleId })
    .andWhere('role.status = :active', { active: 'active' });
}

/**
 * The nodes roles hold, read from the primary for access checks: a grant or a revoke made on
 * any instance counts from the next request on, with no cache to invalidate.
 */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async holdsAny(roleId: number, nodes: string[]): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      return await grantedNodes(runner.manager, roleId)
        .andWhere('grant.node IN (:...nodes)', { nodes })
        .getExists();
    } finally {
      await runner.release();
    }
  }

  async nodesOf(roleId: number): Promise<Set<string>> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const rows = await grantedNodes(runner.manager, roleId)
        .select('grant.node', 'node')
        .getRawMany<{ node: string }>();
      return new Set(rows.map((row) => row.node));
    } finally {
      await runner.release();
    }
  }
}
