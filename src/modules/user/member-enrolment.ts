import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hashPassword, passwordDigest, unusablePasswordHash } from '@/common/password';
import { MemberRepository, type UniqueField } from './member.repository';

/** A member an organization's administrator creates (a member import's new row). */
export interface EnrolledMember {
  /** Their login account name, under the registration rules (see account-name.ts). */
  account: string;
  email: string;
  mobile: string;
  name: string;
  /** The password as typed; none: the account has no password that opens it. */
  password?: string;
}

/**
 * Members created by someone else than themselves, inside the caller's transaction: with a
 * personal organization, as registration makes them, and a password hashed as registration
 * hashes one, or none that opens the account.
 */
@Injectable()
export class MemberEnrolment {
  constructor(private readonly members: MemberRepository) {}

  /** Which of the account name, email and mobile another member already has. */
  taken(
    manager: EntityManager,
    candidate: Pick<EnrolledMember, UniqueField>,
  ): Promise<UniqueField[]> {
    return this.members.takenFields(
      { ...candidate, email: candidate.email.toLowerCase() },
      manager,
    );
  }

  /**
   * The stored form of each one's password, hashed before the caller's transaction begins
   * (scrypt takes its time): index for index.
   */
  passwordHashes(passwords: (string | undefined)[]): Promise<string[]> {
    return Promise.all(
      passwords.map((password) =>
        password ? hashPassword(passwordDigest(password)) : unusablePasswordHash(),
      ),
    );
  }

  /** Creates the member in `manager`'s transaction; its id. */
  async create(
    manager: EntityManager,
    member: Omit<EnrolledMember, 'password'>,
    passwordHash: string,
  ): Promise<number> {
    const created = await this.members.createWithPersonalOrganization(
      { ...member, email: member.email.toLowerCase(), passwordHash },
      manager,
    );
    return created.id;
  }
}
