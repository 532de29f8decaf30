import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { PlatformAdministrators } from '@/modules/user/platform-administrators';
import type { NodeChange } from './dto/access.schemas';
import { nodeTree, type NodeView } from './dto/access.views';
import { PERMISSION_NODES } from './permission-catalogue';
import { PermissionNodeRepository } from './permission-node.repository';

/** A node as the catalogue lists it, flat. */
export type NodeEntry = Omit<NodeView, 'checked' | 'children'>;

/**
 * The permission-node catalogue as roles are edited with it. Which nodes exist, and what each
 * governs, is the code's (permission-catalogue.ts): the deployment's administrators change
 * their titles and their is_menu / is_auth / is_login flags (what the node page shows; access
 * checks follow the code), and clear rows the code no longer has.
 */
@TracedService()
@Injectable()
export class PermissionService {
  constructor(
    private readonly nodes: PermissionNodeRepository,
    private readonly administrators: PlatformAdministrators,
  ) {}

  /** The catalogue as a tree of groups; `checked` marks the nodes a role holds, when given. */
  async tree(checked?: ReadonlySet<string>): Promise<NodeView[]> {
    return nodeTree(await this.nodes.all(), checked);
  }

  /** Which of `nodes` the catalogue does not have, with their positions. */
  async unknown(nodes: readonly string[]): Promise<{ index: number; node: string }[]> {
    const known = new Set((await this.nodes.all()).map((entry) => entry.node));
    return nodes.flatMap((node, index) => (known.has(node) ? [] : [{ index, node }]));
  }

  /** The nodes whose string contains `keyword` (every node without one), in the catalogue's order. */
  async search(keyword?: string): Promise<NodeEntry[]> {
    const rows = await this.nodes.all();
    return rows
      .filter((row) => !keyword || row.node.includes(keyword))
      .map((row) => ({
        node: row.node,
        title: row.title,
        isMenu: Boolean(row.isMenu),
        isAuth: Boolean(row.isAuth),
        isLogin: Boolean(row.isLogin),
      }));
  }

  /** Changes titles and flags (the deployment's administrators only); an unknown node is 400. */
  async update(memberId: number, changes: readonly NodeChange[]): Promise<NodeView[]> {
    await this.administrators.require(memberId);
    const missing = await this.unknown(changes.map((change) => change.node));
    if (missing.length) {
      throw Problem.invalid(
        missing.map(({ index }) => ({
          field: `nodes[${index}].node`,
          message: 'not a node of the catalogue',
        })),
      );
    }
    await this.nodes.updateFlags(changes.map(({ node, ...flags }) => ({ node, flags })));
    return this.tree();
  }

  /**
   * Deletes the catalogue rows of nodes the code does not have (and the roles' grants of them),
   * as the original's clear did; how many went (the deployment's administrators only).
   */
  async clear(memberId: number): Promise<{ removed: number }> {
    await this.administrators.require(memberId);
    return { removed: await this.nodes.removeAllBut(PERMISSION_NODES.map((entry) => entry.node)) };
  }
}
