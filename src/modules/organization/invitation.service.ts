import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TracedService } from '@/telemetry/traced-service';
import type { AppConfig } from '@/config/schema';
import { Problem } from '@/common/problem';
import { RateLimiter } from '@/common/rate-limiter';
import { memberIdsOf, pageOf, type Page } from '@/modules/project/dto/project.views';
import { UserDirectory } from '@/modules/user/user-directory';
import { AccountRepository } from './account.repository';
import type { MyInvitationsQuery } from './dto/invitation.schemas';
import {
  INVITATION_RECEIPT,
  invitationView,
  type InvitationRow,
  type InvitationView,
} from './dto/invitation.views';
import { Invitation } from './entities';
import { InvitationDelivery } from './invitation-delivery';
import { InvitationRepository } from './invitation.repository';
import { OrganizationLocks } from './organization-locks';

const HOUR_SECONDS = 3_600;

type Answer = 'accepted' | 'declined';

/** Why an answer was refused, decided in the transaction and thrown after it committed. */
type Refusal = 'unknown' | 'answered' | 'expired';

/**
 * Invitations into an organization. Whoever may invite gets one answer for every address
 * (202, INVITATION_RECEIPT) after the same work: the caller's account, then the per-inviter
 * and per-organization limits (Redis; refused with 503 while Redis is down, never waved
 * through). Looking the address up and inviting happen after the answer (InvitationDelivery).
 * The invitee alone sees, accepts or declines an invitation: anyone else gets 404.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class InvitationService {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly accounts: AccountRepository,
    private readonly delivery: InvitationDelivery,
    private readonly limiter: RateLimiter,
    private readonly locks: OrganizationLocks,
    private readonly directory: UserDirectory,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async invite(
    callerId: number,
    organizationId: number,
    address: string,
  ): Promise<typeof INVITATION_RECEIPT> {
    const limits = this.config.get('organization', { infer: true }).invitations;
    await this.limiter.hit(
      `invitations:inviter:${callerId}`,
      limits.perInviterPerHour,
      HOUR_SECONDS,
      'too many invitations from you; try again later',
    );
    await this.limiter.hit(
      `invitations:organization:${organizationId}`,
      limits.perOrganizationPerHour,
      HOUR_SECONDS,
      'too many invitations into this organization; try again later',
    );
    this.delivery.send({ organizationId, inviterId: callerId, address });
    return INVITATION_RECEIPT;
  }

  /** The caller's invitations that can still be accepted, newest first. */
  async mine(callerId: number, query: MyInvitationsQuery): Promise<Page<InvitationView>> {
    const now = new Date();
    const { rows, total } = await this.invitations.listPendingFor(callerId, now, query);
    const views = await this.views(rows, now);
    return pageOf(views, total, query);
  }

  /** Joins the organization with its default role, as an enabled account. */
  accept(callerId: number, invitationId: number): Promise<InvitationView> {
    return this.answer(callerId, invitationId, 'accepted');
  }

  decline(callerId: number, invitationId: number): Promise<InvitationView> {
    return this.answer(callerId, invitationId, 'declined');
  }

  private async answer(
    callerId: number,
    invitationId: number,
    answer: Answer,
  ): Promise<InvitationView> {
    const refusal = await this.locks.transaction(async (manager): Promise<Refusal | null> => {
      const invitation = await this.locks.lock(manager, Invitation, invitationId);
      if (!invitation || invitation.inviteeId !== callerId) return 'unknown';
      if (invitation.status !== 'pending') return 'answered';
      const now = new Date();
      if (new Date(invitation.expiresAt) <= now) {
        await this.invitations.answer(manager, invitationId, 'expired', now);
        return 'expired';
      }
      if (answer === 'accepted') {
        await this.accounts.join(manager, invitation.organizationId, callerId);
      }
      await this.invitations.answer(manager, invitationId, answer, now);
      return null;
    });
    switch (refusal) {
      case 'unknown':
        throw Problem.notFound('invitation not found');
      case 'answered':
        throw Problem.failedPrecondition(
          'the invitation has already been answered',
          undefined,
          'invitation_answered',
        );
      case 'expired':
        throw Problem.failedPrecondition(
          'the invitation has expired',
          undefined,
          'invitation_expired',
        );
      case null:
        break;
    }
    const row = await this.invitations.findRow(invitationId);
    if (!row) throw Problem.notFound('invitation not found');
    const [view] = await this.views([row]);
    return view;
  }

  private async views(rows: InvitationRow[], now = new Date()): Promise<InvitationView[]> {
    const members = await this.directory.summaries(
      memberIdsOf(rows.map((row) => row.invitation.inviterId)),
    );
    return rows.map((row) => invitationView(row, members, now));
  }
}
