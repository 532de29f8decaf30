import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { Membership, Organization, type OrganizationRole } from './entities';

/** A member's account in an organization, as access checks need it. */
export type Account = Pick<
  Membership,
  'id' | 'organizationId' | 'memberId' | 'role' | 'roleId' | 'status'
>;

export type OrganizationChanges = Partial<Pick<Organization, 'name' | 'description'>>;

const ACCOUNT_COLUMNS = {
  id: true,
  organizationId: true,
  memberId: true,
  role: true,
  roleId: true,
  status: true,
} as const;

/**
 * What other modules may know and change of organizations and of the accounts members hold in
 * them (the user module's memberships): by intent, never the tables.
 */
@Injectable()
export class OrganizationDirectory {
  constructor(
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The member's account in the organization, from the primary: a disable or a role change
   * made on any instance counts from the next request on.
   */
  async accountOf(memberId: number, organizationId: number): Promise<Account | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      return await runner.manager.findOne(Membership, {
        select: ACCOUNT_COLUMNS,
        where: { memberId, organizationId },
      });
    } finally {
      await runner.release();
    }
  }

  /** An account of the organization by its id, inside the caller's transaction. */
  findAccount(
    organizationId: number,
    accountId: number,
    manager: EntityManager,
  ): Promise<Account | null> {
    return manager.findOne(Membership, {
      select: ACCOUNT_COLUMNS,
      where: { id: accountId, organizationId },
    });
  }

  /**
   * Gives a non-owner account an organization role; `standing` is the role column kept beside
   * it (admin or member). False when the account is not there or is the owner's.
   */
  async setAccountRole(
    accountId: number,
    roleId: number,
    standing: Exclude<OrganizationRole, 'owner'>,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Membership)
      .set({ roleId, role: standing })
      .where('id = :accountId AND role <> :owner', { accountId, owner: 'owner' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** How many accounts hold each of the roles (absent: none). */
  async holderCounts(roleIds: number[], manager?: EntityManager): Promise<Map<number, number>> {
    if (roleIds.length === 0) return new Map();
    const rows = await (manager ?? this.dataSource.manager)
      .createQueryBuilder(Membership, 'membership')
      .select('membership.roleId', 'roleId')
      .addSelect('COUNT(*)', 'holders')
      .where({ roleId: In(roleIds) })
      .groupBy('membership.roleId')
      .getRawMany<{ roleId: number; holders: string | number }>();
    return new Map(rows.map((row) => [Number(row.roleId), Number(row.holders)]));
  }

  findOrganization(id: number): Promise<Organization | null> {
    return this.organizations.findOneBy({ id });
  }

  async updateOrganization(id: number, changes: OrganizationChanges): Promise<void> {
    await this.organizations.update({ id }, changes);
  }

  /** Whether the two members hold accounts in one organization (a member shares one with themselves). */
  async shareAnOrganization(memberId: number, otherId: number): Promise<boolean> {
    if (memberId === otherId) return true;
    const row = await this.memberships
      .createQueryBuilder('mine')
      .select('mine.id')
      .innerJoin(
        Membership,
        'theirs',
        'theirs.organizationId = mine.organizationId AND theirs.memberId = :otherId',
        { otherId },
      )
      .where('mine.memberId = :memberId', { memberId })
      .getRawOne<{ mine_id: number }>();
    return row !== undefined;
  }

  /** The organization every member got at registration (from the primary); null for none. */
  async personalOrganizationOf(memberId: number): Promise<number | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const organization = await runner.manager.findOne(Organization, {
        select: { id: true },
        where: { ownerId: memberId, personal: true },
        order: { id: 'ASC' },
      });
      return organization?.id ?? null;
    } finally {
      await runner.release();
    }
  }
}
