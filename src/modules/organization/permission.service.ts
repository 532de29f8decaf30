import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { nodeTree, type NodeView } from './dto/access.views';
import { PermissionNodeRepository } from './permission-node.repository';

/** The permission-node catalogue as roles are edited with it. */
@TracedService()
@Injectable()
export class PermissionService {
  constructor(private readonly nodes: PermissionNodeRepository) {}

  /** The catalogue as a tree of groups; `checked` marks the nodes a role holds, when given. */
  async tree(checked?: ReadonlySet<string>): Promise<NodeView[]> {
    return nodeTree(await this.nodes.all(), checked);
  }

  /** Which of `nodes` the catalogue does not have, with their positions. */
  async unknown(nodes: readonly string[]): Promise<{ index: number; node: string }[]> {
    const known = new Set((await this.nodes.all()).map((entry) => entry.node));
    return nodes.flatMap((node, index) => (known.has(node) ? [] : [{ index, node }]));
  }
}
