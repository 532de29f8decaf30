import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { RoleNode } from './entities';

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
      return await runner.manager.existsBy(RoleNode, { roleId, node: In(nodes) });
    } finally {
      await runner.release();
    }
  }

  async nodesOf(roleId: number): Promise<Set<string>> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const rows = await runner.manager.find(RoleNode, {
        select: { node: true },
        where: { roleId },
      });
      return new Set(rows.map((row) => row.node));
    } finally {
      await runner.release();
    }
  }
}
