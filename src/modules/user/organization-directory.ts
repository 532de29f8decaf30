import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { Membership, Organization, type OrganizationRole } from './entities';
import { OrganizationDissolution } from './organization-dissolution';
import { OrganizationFounding } from './organization-founding';

/** A member's account in an organization, as access checks need it. */
export type Account = Pick<
  Membership,
  'id' | 'organizationId' | 'memberId' | 'role' | 'roleId' | 'status'
>;

export type OrganizationChanges = Partial<Pick<Organization, 'name' | 'description' | 'address'>>;

/** What a member names when they found an organization. */
export type NewOrganization = Pick<Organization, 'name'> &
  Partial<Pick<Organization, 'description' | 'address'>>;

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
    private readonly founding: OrganizationFounding,
    private readonly dissolution: OrganizationDissolution,
  ) {}

  /**
   * A new organization owned by the member, set up by the founding listeners (its roles), with
   * the owner's account holding the role they name: all or nothing, as at registration.
   */
  found(ownerId: number, fields: NewOrganization): Promise<Organization> {
    return this.dataSource.transaction(async (manager) => {
      const organization = await manager.save(
        Organization,
        manager.create(Organization, { ...fields, ownerId, personal: false }),
      );
      const { ownerRoleId } = await this.founding.founded(
        { id: organization.id, ownerId },
        manager,
      );
      await manager.save(
        Membership,
        manager.create(Membership, {
          organizationId: organization.id,
          memberId: ownerId,
          role: 'owner',
          roleId: ownerRoleId ?? null,
        }),
      );
      return organization;
    });
  }

  /**
   * Deletes the organization, its accounts, and what the dissolution listeners keep for it,
   * in one transaction holding the organization's row; a listener's refusal deletes nothing.
   * False when it was not there any more.
   */
  dissolve(organizationId: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const query = manager
        .createQueryBuilder(Organization, 'organization')
        .where('organization.id = :organizationId', { organizationId });
      // SQLite serializes writers by itself.
      if (this.dataSource.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
      const locked = await query.getOne();
      if (!locked) return false;
      await this.dissolution.run(organizationId, manager);
      await manager.delete(Membership, { organizationId });
      await manager.delete(Organization, { id: organizationId });
      return true;
    });
  }

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

  /** How many organizations the member owns. */
  countOwnedBy(memberId: number): Promise<number> {
    return this.organizations.countBy({ ownerId: memberId });
  }

  /** Ends the member's account in the organization, unless it is the owner's; false if none ended. */
  async leave(memberId: number, organizationId: number): Promise<boolean> {
    const result = await this.memberships
      .createQueryBuilder()
      .delete()
      .from(Membership)
      .where('memberId = :memberId AND organizationId = :organizationId AND role <> :owner', {
        memberId,
        organizationId,
        owner: 'owner',
      })
      .execute();
    return (result.affected ?? 0) > 0;
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
