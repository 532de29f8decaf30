import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PermissionNode } from './entities';

/** The seeded permission-node catalogue (`permission_node`), read only. */
@Injectable()
export class PermissionNodeRepository {
  constructor(
    @InjectRepository(PermissionNode) private readonly nodes: Repository<PermissionNode>,
  ) {}

  /** Every node, in the catalogue's order. */
  all(): Promise<PermissionNode[]> {
    return this.nodes.find({ order: { sort: 'ASC', id: 'ASC' } });
  }
}
