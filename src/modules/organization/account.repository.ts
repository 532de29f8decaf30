import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository, type SelectQueryBuilder } from 'typeorm';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { Member, Membership } from '@/modules/user/entities';
import type { AccountStatus } from '@/modules/user/entities/membership.entity';
import type { AccountRow } from './dto/account.views';
import { Department, Role } from './entities';

export interface AccountFilter {
  status?: AccountStatus;
  /** A department's accounts, or (null) those in none. */
  departmentId?: number | null;
  /** Part of the member's name, account name or email. */
  keyword?: string;
  /** The one member's account. */
  memberId?: number;
}

/** `!` escapes LIKE's wildcards the same way on MariaDB and SQLite. */
function containing(keyword: string): string {
  return `%${keyword.replace(/[!%_]/g, (character) => `!${character}`)}%`;
}

export type AccountChanges = Partial<
  Pick<
    Membership,
    'departmentId' | 'position' | 'status' | 'displayName' | 'email' | 'mobile' | 'description'
  >
>;

type RawAccount = Record<keyof AccountRow, unknown>;

function accountRow(raw: RawAccount): AccountRow {
  const optionalId = (value: unknown) =>
    value === null || value === undefined ? null : Number(value);
  return {
    id: Number(raw.id),
    organizationId: Number(raw.organizationId),
    memberId: Number(raw.memberId),
    role: raw.role as AccountRow['role'],
    roleId: optionalId(raw.roleId),
    roleName: (raw.roleName as string | null) ?? null,
    departmentId: optionalId(raw.departmentId),
    departmentName: (raw.departmentName as string | null) ?? null,
    position: (raw.position as string | null) ?? null,
    displayName: (raw.displayName as string | null) ?? null,
    email: (raw.email as string | null) ?? null,
    mobile: (raw.mobile as string | null) ?? null,
    description: (raw.description as string | null) ?? null,
    status: raw.status as AccountStatus,
    createdAt: raw.createdAt as Date | string,
  };
}

/**
 * Accounts: the members' places in organizations, which are the user module's membership rows.
 * Registration creates the owner's; this module owns the rest of their life (joining through
 * an invitation, department, position, status, removal).
 */
@Injectable()
export class AccountRepository {
  constructor(
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The member's account in the organization, from the primary: a disable counts from the
   * very next request, on every instance (the rest of the request then reads the primary too).
   */
  async findOfMemberOnPrimary(organizationId: number, memberId: number) {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      return await runner.manager.findOneBy(Membership, { organizationId, memberId });
    } finally {
      await runner.release();
    }
  }

  private rows(manager: EntityManager = this.memberships.manager): SelectQueryBuilder<Membership> {
    return manager
      .createQueryBuilder(Membership, 'account')
      .leftJoin(Role, 'role', 'role.id = account.roleId')
      .leftJoin(Department, 'department', 'department.id = account.departmentId')
      .select('account.id', 'id')
      .addSelect('account.organizationId', 'organizationId')
      .addSelect('account.memberId', 'memberId')
      .addSelect('account.role', 'role')
      .addSelect('account.roleId', 'roleId')
      .addSelect('role.name', 'roleName')
      .addSelect('account.departmentId', 'departmentId')
      .addSelect('department.name', 'departmentName')
      .addSelect('account.position', 'position')
      .addSelect('account.displayName', 'displayName')
      .addSelect('account.email', 'email')
      .addSelect('account.mobile', 'mobile')
      .addSelect('account.description', 'description')
      .addSelect('account.status', 'status')
      .addSelect('account.createdAt', 'createdAt');
  }

  /** Whether another account of the organization has this email (letter case aside). */
  async emailTaken(
    organizationId: number,
    email: string,
    accountId: number,
    manager: EntityManager,
  ): Promise<boolean> {
    return manager
      .createQueryBuilder(Membership, 'account')
      .where('account.organizationId = :organizationId', { organizationId })
      .andWhere('LOWER(account.email) = LOWER(:email)', { email })
      .andWhere('account.id <> :accountId', { accountId })
      .getExists();
  }

  /** The organization's account with this id; null for any other. */
  async find(
    organizationId: number,
    accountId: number,
    manager?: EntityManager,
  ): Promise<AccountRow | null> {
    const raw = await this.rows(manager)
      .where('account.id = :accountId', { accountId })
      .andWhere('account.organizationId = :organizationId', { organizationId })
      .getRawOne<RawAccount>();
    return raw ? accountRow(raw) : null;
  }

  async list(
    organizationId: number,
    filter: AccountFilter,
    { page, pageSize }: Paging,
  ): Promise<{ rows: AccountRow[]; total: number }> {
    const query = this.rows().where('account.organizationId = :organizationId', {
      organizationId,
    });
    if (filter.status) query.andWhere('account.status = :status', { status: filter.status });
    if (filter.memberId !== undefined) {
      query.andWhere('account.memberId = :memberId', { memberId: filter.memberId });
    }
    if (filter.departmentId === null) query.andWhere('account.departmentId IS NULL');
    else if (filter.departmentId !== undefined) {
      query.andWhere('account.departmentId = :departmentId', {
        departmentId: filter.departmentId,
      });
    }
    if (filter.keyword) {
      query.innerJoin(Member, 'member', 'member.id = account.memberId').andWhere(
        // An email only whole: a part of one would let a searcher spell out addresses the
        // list never shows, a character at a time.
        "(member.name LIKE :keyword ESCAPE '!' OR member.account LIKE :keyword ESCAPE '!' OR member.email = :email)",
        { keyword: containing(filter.keyword), email: filter.keyword },
      );
    }
    const [raw, total] = await Promise.all([
      query
        .clone()
        .orderBy('account.id', 'ASC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getRawMany<RawAccount>(),
      query.clone().getCount(),
    ]);
    return { rows: raw.map(accountRow), total };
  }

  async update(
    accountId: number,
    changes: AccountChanges,
    manager: EntityManager = this.memberships.manager,
  ): Promise<void> {
    await manager.update(Membership, { id: accountId }, changes);
  }

  async remove(accountId: number): Promise<void> {
    await this.memberships.delete({ id: accountId });
  }

  countInDepartment(manager: EntityManager, departmentId: number): Promise<number> {
    return manager.countBy(Membership, { departmentId });
  }

  /** The member's account in the organization, read in the caller's transaction. */
  ofMember(
    manager: EntityManager,
    organizationId: number,
    memberId: number,
  ): Promise<Membership | null> {
    return manager.findOneBy(Membership, { organizationId, memberId });
  }

  existsFor(manager: EntityManager, organizationId: number, memberId: number): Promise<boolean> {
    return manager.existsBy(Membership, { organizationId, memberId });
  }

  /**
   * An enabled account with the organization's default role (none while it has no roles);
   * nothing changes when the member already has an account there.
   */
  async join(manager: EntityManager, organizationId: number, memberId: number): Promise<void> {
    const defaultRole = await manager.findOne(Role, {
      select: { id: true },
      where: { organizationId, isDefault: true },
      order: { id: 'ASC' },
    });
    await manager
      .createQueryBuilder()
      .insert()
      .into(Membership)
      .values({
        organizationId,
        memberId,
        role: 'member',
        roleId: defaultRole?.id ?? null,
        status: 'active',
      })
      .orIgnore()
      .execute();
  }
}
