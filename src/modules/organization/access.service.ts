import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { OrganizationDirectory, type Account } from '@/modules/user/organization-directory';
import { AccessRepository } from './access.repository';
import { grants, nodeAndGroups } from './permission-catalogue';

/** What a member may do in an organization: everything (its owner), or what their nodes grant. */
export type Grants = { everything: true } | { everything: false; nodes: ReadonlySet<string> };

/**
 * The organization rules, for every transport: the owner always passes; anyone without an
 * account there learns nothing (404); a disabled account and a role without the node are
 * refused (403). Read from the primary on every call.
 */
@TracedService()
@Injectable()
export class AccessService {
  constructor(
    private readonly directory: OrganizationDirectory,
    private readonly access: AccessRepository,
  ) {}

  async require(memberId: number, organizationId: number, node: string): Promise<void> {
    const account = await this.activeAccount(memberId, organizationId);
    if (account.role === 'owner') return;
    const held =
      account.roleId !== null && (await this.access.holdsAny(account.roleId, nodeAndGroups(node)));
    if (!held) {
      throw new Problem(
        403,
        'permission_denied',
        `your role in this organization lacks the permission node ${node}`,
      );
    }
  }

  /** Everything the member's account grants in the organization (for what to show them). */
  async grantsOf(memberId: number, organizationId: number): Promise<Grants> {
    const account = await this.activeAccount(memberId, organizationId);
    if (account.role === 'owner') return { everything: true };
    const nodes =
      account.roleId === null ? new Set<string>() : await this.access.nodesOf(account.roleId);
    return { everything: false, nodes };
  }

  private async activeAccount(memberId: number, organizationId: number): Promise<Account> {
    const account = await this.directory.accountOf(memberId, organizationId);
    if (!account) throw Problem.notFound('organization not found');
    if (account.role !== 'owner' && account.status === 'disabled') {
      throw new Problem(403, 'account_disabled', 'your account in this organization is disabled');
    }
    return account;
  }
}

/** Whether `held` grants `node` (owners hold everything). */
export function allows(held: Grants, node: string): boolean {
  return held.everything || grants(held.nodes, node);
}
