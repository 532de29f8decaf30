import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConfigCenter } from '@/config/config-center';
import type { AppConfig } from '@/config/schema';
import { RequestScope } from '@/infra/generations/request-scope';
import { NotificationRepository } from '@/modules/notification/notification.repository';
import { UserDirectory } from '@/modules/user/user-directory';
import { AccountRepository } from './account.repository';
import { InvitationRepository } from './invitation.repository';
import { OrganizationLocks } from './organization-locks';

export interface InvitationRequest {
  organizationId: number;
  inviterId: number;
  address: string;
}

const HOUR_MS = 3_600_000;

/**
 * Turns an invitation request into an invitation, after the inviter has had the answer: the
 * answer is the same, and as fast, whether the address names a member, someone already in
 * the organization, someone already invited, or nobody. Only a member who is not in the
 * organization and has no pending invitation into it gets one, with an 'invited'
 * notification in the same transaction.
 */
@Injectable()
export class InvitationDelivery {
  /** Deliveries still running, for tests and shutdown to wait on. */
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly directory: UserDirectory,
    private readonly accounts: AccountRepository,
    private readonly invitations: InvitationRepository,
    private readonly notifications: NotificationRepository,
    private readonly locks: OrganizationLocks,
    private readonly scope: RequestScope,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly center: ConfigCenter,
  ) {}

  /**
   * Delivers in the background of the current unit of work, whose database and Redis
   * generations it keeps pinned until done (shutdown drains it like a request). A failure is
   * logged without the address; the inviter may ask again.
   */
  send(request: InvitationRequest): void {
    const release = this.scope.retain();
    const delivery = this.deliver(request)
      .catch((error: unknown) => {
        this.center.logger.error(
          { err: error, organizationId: request.organizationId, inviterId: request.inviterId },
          'invitation not delivered',
        );
      })
      .finally(() => {
        release();
        this.running.delete(delivery);
      });
    this.running.add(delivery);
  }

  /** Resolves once every delivery started so far has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async deliver({ organizationId, inviterId, address }: InvitationRequest): Promise<void> {
    const inviteeId = await this.directory.memberIdByAddress(address);
    if (inviteeId === null) return;
    const inviter = (await this.directory.summaries([inviterId])).get(inviterId);
    const { expiresInHours } = this.config.get('organization', { infer: true }).invitations;
    await this.locks.withOrganization(organizationId, async (manager, organization) => {
      if (await this.accounts.existsFor(manager, organizationId, inviteeId)) return;
      const now = new Date();
      await this.invitations.expireStale(manager, organizationId, inviteeId, now);
      if (await this.invitations.hasPending(manager, organizationId, inviteeId, now)) return;
      const invitation = await this.invitations.create(manager, {
        organizationId,
        inviterId,
        inviteeId,
        expiresAt: new Date(now.getTime() + expiresInHours * HOUR_MS),
      });
      await this.notifications.add(
        [
          {
            memberId: inviteeId,
            kind: 'invited',
            content: `${inviter?.name ?? 'Someone'} invited you to join ${organization.name}`,
            actorId: inviterId,
            organizationId,
            invitationId: invitation.id,
          },
        ],
        manager,
      );
    });
  }
}
