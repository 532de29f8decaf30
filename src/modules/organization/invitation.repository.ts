import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { Organization } from '@/modules/user/entities';
import type { InvitationRow } from './dto/invitation.views';
import { Invitation, type InvitationStatus } from './entities';

export interface NewInvitation {
  organizationId: number;
  inviterId: number;
  inviteeId: number;
  expiresAt: Date;
}

/** Invitations into organizations, as their invitees see and answer them. */
@Injectable()
export class InvitationRepository {
  constructor(@InjectRepository(Invitation) private readonly invitations: Repository<Invitation>) {}

  /** Whether the member has an invitation into the organization that can still be accepted. */
  hasPending(
    manager: EntityManager,
    organizationId: number,
    inviteeId: number,
    now: Date,
  ): Promise<boolean> {
    return manager.existsBy(Invitation, {
      organizationId,
      inviteeId,
      status: 'pending',
      expiresAt: MoreThan(now),
    });
  }

  /** Marks the member's pending invitations into the organization that ran out as expired. */
  async expireStale(
    manager: EntityManager,
    organizationId: number,
    inviteeId: number,
    now: Date,
  ): Promise<void> {
    await manager.update(
      Invitation,
      { organizationId, inviteeId, status: 'pending', expiresAt: LessThanOrEqual(now) },
      { status: 'expired' },
    );
  }

  create(manager: EntityManager, invitation: NewInvitation): Promise<Invitation> {
    return manager.save(Invitation, manager.create(Invitation, invitation));
  }

  async answer(
    manager: EntityManager,
    id: number,
    status: Exclude<InvitationStatus, 'pending'>,
    at: Date,
  ): Promise<void> {
    await manager.update(Invitation, { id }, { status, answeredAt: at });
  }

  private withOrganization(manager: EntityManager = this.invitations.manager) {
    return manager
      .createQueryBuilder(Invitation, 'invitation')
      .innerJoin(Organization, 'organization', 'organization.id = invitation.organizationId')
      .addSelect('organization.name', 'organization_name');
  }

  private static rows(result: { entities: Invitation[]; raw: Record<string, unknown>[] }) {
    const names = new Map(
      result.raw.map((raw) => [Number(raw.invitation_id), String(raw.organization_name)]),
    );
    return result.entities.map((invitation): InvitationRow => ({
      invitation,
      organizationName: names.get(invitation.id) ?? '',
    }));
  }

  async findRow(id: number, manager?: EntityManager): Promise<InvitationRow | null> {
    const result = await this.withOrganization(manager)
      .where('invitation.id = :id', { id })
      .getRawAndEntities();
    return InvitationRepository.rows(result)[0] ?? null;
  }

  /** The member's invitations that can still be accepted, newest first. */
  async listPendingFor(
    inviteeId: number,
    now: Date,
    { page, pageSize }: Paging,
  ): Promise<{ rows: InvitationRow[]; total: number }> {
    const query = this.withOrganization()
      .where('invitation.inviteeId = :inviteeId', { inviteeId })
      .andWhere('invitation.status = :pending', { pending: 'pending' })
      .andWhere('invitation.expiresAt > :now', { now });
    const [result, total] = await Promise.all([
      query
        .clone()
        .orderBy('invitation.id', 'DESC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getRawAndEntities(),
      query.clone().getCount(),
    ]);
    return { rows: InvitationRepository.rows(result), total };
  }
}
