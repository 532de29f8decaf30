import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MemberView } from './dto/user.views';
import { MemberProfiles } from './member-profiles';
import { MemberRepository } from './member.repository';

export type MemberSummary = Pick<MemberView, 'id' | 'name' | 'avatar' | 'account'>;

/**
 * What other modules may know of members: summaries by id, many at once (one cache round
 * trip and at most one query per call, never one per row).
 */
@Injectable()
export class UserDirectory {
  constructor(
    private readonly profiles: MemberProfiles,
    private readonly members: MemberRepository,
  ) {}

  /** The member an account name, email or mobile names, as login reads it; null for nobody. */
  memberIdByAddress(address: string): Promise<number | null> {
    return this.members.findIdByLogin(address.toLowerCase());
  }

  /** The member's own email and mobile; null for nobody. */
  async contactOf(memberId: number): Promise<{ email: string; mobile: string } | null> {
    const profile = (await this.profiles.getMany([memberId])).get(memberId);
    return profile ? { email: profile.email, mobile: profile.mobile } : null;
  }

  /**
   * Every member's id, ascending, a batch at a time: up to `limit` above `afterId`, read in
   * `manager`'s transaction (a deployment-wide fan-out walks them).
   */
  memberIdsAfter(manager: EntityManager, afterId: number, limit: number): Promise<number[]> {
    return this.members.idsAfter(manager, afterId, limit);
  }

  async summaries(memberIds: number[]): Promise<Map<number, MemberSummary>> {
    const profiles = await this.profiles.getMany(memberIds);
    const summaries = new Map<number, MemberSummary>();
    for (const [id, { id: publicId, name, avatar, account }] of profiles) {
      summaries.set(id, { id: publicId, name, avatar, account });
    }
    return summaries;
  }
}
