import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { PermissionNode, RoleNode } from './entities';

export type NodeFlags = Partial<Pick<PermissionNode, 'title' | 'isMenu' | 'isAuth' | 'isLogin'>>;

/** The seeded permission-node catalogue (`permission_node`): its titles and flags change, never its nodes. */
@Injectable()
export class PermissionNodeRepository {
  constructor(
    @InjectRepository(PermissionNode) private readonly nodes: Repository<PermissionNode>,
  ) {}

  /** Every node, in the catalogue's order. */
  all(): Promise<PermissionNode[]> {
    return this.nodes.find({ order: { sort: 'ASC', id: 'ASC' } });
  }

  /** Changes the titles and flags of the nodes, all or none. */
  async updateFlags(changes: readonly { node: string; flags: NodeFlags }[]): Promise<void> {
    await this.nodes.manager.transaction(async (manager) => {
      for (const { node, flags } of changes) {
        if (Object.keys(flags).length) await manager.update(PermissionNode, { node }, flags);
      }
    });
  }

  /** Deletes the rows of nodes not in `kept`, and the roles' grants of them; how many went. */
  async removeAllBut(kept: readonly string[]): Promise<number> {
    return this.nodes.manager.transaction(async (manager) => {
      const stale = await manager.find(PermissionNode, {
        select: { id: true, node: true },
        where: { node: Not(In([...kept])) },
      });
      if (stale.length === 0) return 0;
      const names = stale.map((row) => row.node);
      await manager.delete(RoleNode, { node: In(names) });
      await manager.delete(PermissionNode, { id: In(stale.map((row) => row.id)) });
      return stale.length;
    });
  }
}
