import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import type { Membership } from '@/modules/user/entities';
import { AccountRepository } from './account.repository';

/**
 * The part of an organization-scoped operation's authorization that is not about permission
 * nodes: the caller holds an account in the organization (else 404, as for an organization
 * that does not exist) and, unless they own it, an enabled one (else 403). Read from the
 * primary on every call, so that a disable counts at once on every instance.
 */
@Injectable()
export class AccountCheck {
  constructor(private readonly accounts: AccountRepository) {}

  async require(memberId: number, organizationId: number): Promise<Membership> {
    const account = await this.accounts.findOfMemberOnPrimary(organizationId, memberId);
    if (!account) throw Problem.notFound('organization not found');
    if (account.role !== 'owner' && account.status !== 'active') {
      throw Problem.forbidden('your account in this organization is disabled');
    }
    return account;
  }
}
