import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository, type EntityManager } from 'typeorm';
import { offset, type Paging } from '@/common/paging';
import { InviteLink } from './entities';

/** Invite links, found by their code's hash or listed per organization. */
@Injectable()
export class InviteLinkRepository {
  constructor(@InjectRepository(InviteLink) private readonly links: Repository<InviteLink>) {}

  async create(
    link: Pick<InviteLink, 'organizationId' | 'projectId' | 'creatorId' | 'codeHash' | 'expiresAt'>,
  ) {
    const { identifiers } = await this.links.insert(link);
    return (await this.links.findOneBy({ id: Number(identifiers[0].id) }))!;
  }

  findByCodeHash(codeHash: string): Promise<InviteLink | null> {
    return this.links.findOneBy({ codeHash });
  }

  /** The organization's links that still open, newest first. */
  async listUsable(organizationId: number, now: Date, paging: Paging) {
    const [rows, total] = await this.links.findAndCount({
      where: { organizationId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** Revokes the organization's link; false when it has no such link. */
  async revoke(organizationId: number, id: number, now: Date): Promise<boolean> {
    const link = await this.links.findOneBy({ id, organizationId });
    if (!link) return false;
    if (!link.revokedAt) await this.links.update({ id }, { revokedAt: now });
    return true;
  }

  async countJoin(manager: EntityManager, id: number): Promise<void> {
    await manager.increment(InviteLink, { id }, 'joins', 1);
  }
}
