import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, MoreThan, Repository } from 'typeorm';
import { accountKey } from './account-name';
import { Member, Membership, Organization, type OrganizationRole } from './entities';
import { MemberRegistration } from './member-registration';
import { OrganizationFounding } from './organization-founding';

export interface NewMember {
  account: string;
  email: string;
  mobile: string;
  name: string;
  passwordHash: string;
}

export interface OrganizationOfMember {
  organization: Organization;
  role: OrganizationRole;
}

export type UniqueField = 'account' | 'email' | 'mobile';

/** What a refusal says of a name another member has. */
export const TAKEN_MESSAGES: Record<UniqueField, string> = {
  account: 'this account name is taken',
  email: 'this email is already registered',
  mobile: 'this mobile number is already registered',
};

/** An account name (by its folded key), an email or a mobile. */
const LOGIN_MATCH = 'member.accountKey = :key OR member.email = :login OR member.mobile = :login';
const loginParameters = (login: string) => ({ key: accountKey(login), login: login.toLowerCase() });

/** Members and their organizations: the user module's tables, by intent. */
@Injectable()
export class MemberRepository {
  constructor(
    @InjectRepository(Member) private readonly members: Repository<Member>,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly founding: OrganizationFounding,
    private readonly registration: MemberRegistration,
  ) {}

  findById(id: number): Promise<Member | null> {
    return this.members.findOneBy({ id });
  }

  findByIds(ids: number[]): Promise<Member[]> {
    return ids.length ? this.members.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /**
   * By account name, email or mobile, with the password hash (for login only). From the
   * primary: a member who just registered must be able to log in at once.
   */
  async findForLogin(login: string): Promise<Member | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      return await runner.manager
        .createQueryBuilder(Member, 'member')
        .addSelect('member.passwordHash')
        .where(LOGIN_MATCH, loginParameters(login))
        .getOne();
    } finally {
      await runner.release();
    }
  }

  /** Which of account / email / mobile are already taken, in that order (in `manager`'s transaction). */
  async takenFields(
    candidate: Pick<NewMember, UniqueField>,
    manager: EntityManager = this.members.manager,
  ): Promise<UniqueField[]> {
    const key = accountKey(candidate.account);
    const rows = await manager.find(Member, {
      select: { accountKey: true, email: true, mobile: true },
      where: [{ accountKey: key }, { email: candidate.email }, { mobile: candidate.mobile }],
    });
    // MySQL compares email and mobile case-insensitively (utf8mb4 *_ci): so must we, or a case
    // variant would pass here and fail on the unique index.
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return [
      ...(rows.some((row) => row.accountKey === key) ? (['account'] as const) : []),
      ...(['email', 'mobile'] as const).filter((field) =>
        rows.some((row) => same(row[field], candidate[field])),
      ),
    ];
  }

  /**
   * The member, a personal organization set up by its founding listeners (its roles), the
   * owner membership holding the role they name, and what the registration listeners give a
   * new member (the current announcements): all or nothing (in `within`'s transaction when
   * given, else in one of its own).
   */
  createWithPersonalOrganization(input: NewMember, within?: EntityManager): Promise<Member> {
    return within
      ? this.createIn(within, input)
      : this.dataSource.transaction((manager) => this.createIn(manager, input));
  }

  private async createIn(manager: EntityManager, input: NewMember): Promise<Member> {
    const member = await manager.save(
      Member,
      manager.create(Member, { ...input, accountKey: accountKey(input.account) }),
    );
    const organization = await manager.save(
      Organization,
      manager.create(Organization, {
        name: `${input.name}'s organization`,
        ownerId: member.id,
        personal: true,
      }),
    );
    const { ownerRoleId } = await this.founding.founded(
      { id: organization.id, ownerId: member.id },
      manager,
    );
    await manager.save(
      Membership,
      manager.create(Membership, {
        organizationId: organization.id,
        memberId: member.id,
        role: 'owner',
        roleId: ownerRoleId ?? null,
      }),
    );
    await this.registration.run({ id: member.id }, manager);
    return member;
  }

  async recordLogin(id: number, at: Date): Promise<void> {
    await this.members.update({ id }, { lastLoginAt: at });
  }

  /** A hash in the current form, replacing an older one (see common/password.ts). */
  /** The member's password hash, from the primary (a change just made counts). */
  async passwordHashOf(id: number): Promise<string | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const member = await runner.manager
        .createQueryBuilder(Member, 'member')
        .addSelect('member.passwordHash')
        .where('member.id = :id', { id })
        .getOne();
      return member?.passwordHash ?? null;
    } finally {
      await runner.release();
    }
  }

  async replacePasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.members.update({ id }, { passwordHash });
  }

  async updateProfile(
    id: number,
    changes: Partial<Pick<Member, 'name' | 'avatar' | 'description'>>,
  ): Promise<void> {
    await this.members.update({ id }, changes);
  }

  /** Up to `limit` member ids above `afterId`, ascending; within `manager`'s transaction. */
  async idsAfter(manager: EntityManager, afterId: number, limit: number): Promise<number[]> {
    const rows = await manager.find(Member, {
      select: { id: true },
      where: { id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /** The member whose email (stored in lower case) or mobile is `value`, from the primary. */
  async findIdByContact(field: 'email' | 'mobile', value: string): Promise<number | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const row = await runner.manager
        .createQueryBuilder(Member, 'member')
        .select('member.id', 'id')
        .where(`member.${field} = :value`, { value: value.toLowerCase() })
        .getRawOne<{ id: number }>();
      return row ? Number(row.id) : null;
    } finally {
      await runner.release();
    }
  }

  async setContact(id: number, field: 'email' | 'mobile', value: string): Promise<void> {
    await this.members.update({ id }, { [field]: value });
  }

  /** The member an account name, email or mobile names (as at login), without the hash. */
  async findIdByLogin(login: string): Promise<number | null> {
    const row = await this.members
      .createQueryBuilder('member')
      .select('member.id', 'id')
      .where(LOGIN_MATCH, loginParameters(login))
      .getRawOne<{ id: number }>();
    return row ? Number(row.id) : null;
  }

  async listOrganizations(memberId: number): Promise<OrganizationOfMember[]> {
    const rows = await this.memberships
      .createQueryBuilder('membership')
      .innerJoinAndMapOne(
        'membership.organization',
        Organization,
        'organization',
        'organization.id = membership.organizationId',
      )
      .where('membership.memberId = :memberId', { memberId })
      // A disabled account's organization is out of reach, so out of the list.
      .andWhere('membership.status = :active', { active: 'active' })
      .orderBy('organization.id', 'ASC')
      .getMany();
    return rows.map((row) => ({
      organization: (row as Membership & { organization: Organization }).organization,
      role: row.role,
    }));
  }
}
