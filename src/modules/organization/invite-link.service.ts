import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import { RateLimiter } from '@/common/rate-limiter';
import type { AppConfig } from '@/config/schema';
import { memberIdsOf, pageOf, type Page } from '@/modules/project/dto/project.views';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import { UserDirectory } from '@/modules/user/user-directory';
import { TracedService } from '@/telemetry/traced-service';
import { AccountRepository } from './account.repository';
import type { NamedRef } from './dto/account.views';
import type { ListInviteLinksQuery } from './dto/invite-link.schemas';
import {
  inviteLinkView,
  type InviteLinkPreview,
  type InviteLinkView,
} from './dto/invite-link.views';
import { InviteLink } from './entities';
import { InviteLinkRepository } from './invite-link.repository';
import { OrganizationLocks } from './organization-locks';

const HOUR_SECONDS = 3_600;

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** A code that opens nothing (unknown, revoked): as if it never existed. */
const notFound = () => Problem.notFound('invite link not found');

/**
 * Invite links into an organization. Whoever may invite creates one (it counts against the
 * same hourly limits as an invitation by address) and hands it to whom they choose; a
 * logged-in member who opens it sees the organization and its creator, and joins with the
 * default role. Nobody's address is looked up or revealed: the holder comes forward by
 * themselves. A link opens one organization only, until it expires
 * (`organization.invitations.linkExpiresInHours`) or is revoked. Its code is 256 random bits,
 * kept only as a hash and shown once.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class InviteLinkService {
  constructor(
    private readonly links: InviteLinkRepository,
    private readonly accounts: AccountRepository,
    private readonly locks: OrganizationLocks,
    private readonly limiter: RateLimiter,
    private readonly directory: UserDirectory,
    private readonly organizations: OrganizationDirectory,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** A new link; the answer is the only place its code appears. */
  async create(callerId: number, organizationId: number): Promise<InviteLinkView> {
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
    const code = randomBytes(32).toString('base64url');
    const link = await this.links.create({
      organizationId,
      creatorId: callerId,
      codeHash: hashOf(code),
      expiresAt: new Date(Date.now() + limits.linkExpiresInHours * HOUR_SECONDS * 1000),
    });
    const [view] = await this.views([link], code);
    return view;
  }

  /** The organization's links that still open (without their codes), newest first. */
  async list(organizationId: number, query: ListInviteLinksQuery): Promise<Page<InviteLinkView>> {
    const { rows, total } = await this.links.listUsable(organizationId, new Date(), query);
    return pageOf(await this.views(rows), total, query);
  }

  /** From now on the link opens nothing; another organization's link is not found. */
  async revoke(organizationId: number, linkId: number): Promise<void> {
    if (!(await this.links.revoke(organizationId, linkId, new Date()))) {
      throw notFound();
    }
  }

  /** What the link's holder is shown: the organization and who created the link. */
  async preview(code: string): Promise<InviteLinkPreview> {
    const link = this.usable(await this.links.findByCodeHash(hashOf(code)));
    const [organization, members] = await Promise.all([
      this.organizations.findOrganization(link.organizationId),
      this.directory.summaries([link.creatorId]),
    ]);
    if (!organization) throw notFound();
    const [view] = await this.views([link]);
    return {
      organization: { id: encodeId(organization.id, 'organization'), name: organization.name },
      inviter: members.get(link.creatorId) ?? view.creator,
      expiresAt: view.expiresAt,
    };
  }

  /**
   * Joins the link's organization with its default role, as an enabled account. A member
   * already there stays as they are (a disabled account stays disabled).
   */
  async join(callerId: number, code: string): Promise<NamedRef> {
    const found = this.usable(await this.links.findByCodeHash(hashOf(code)));
    return this.locks.withOrganization(found.organizationId, async (manager, organization) => {
      // Checked again under the organization's lock: a revoke may have come meanwhile.
      this.usable(await manager.findOneBy(InviteLink, { id: found.id }));
      if (!(await this.accounts.existsFor(manager, organization.id, callerId))) {
        await this.accounts.join(manager, organization.id, callerId);
        await this.links.countJoin(manager, found.id);
      }
      return { id: encodeId(organization.id, 'organization'), name: organization.name };
    });
  }

  /** The link when it opens: unknown or revoked is not found, past its expiry refused. */
  private usable(link: InviteLink | null): InviteLink {
    if (!link || link.revokedAt) throw notFound();
    if (new Date(link.expiresAt) <= new Date()) {
      throw Problem.failedPrecondition(
        'the invite link has expired',
        undefined,
        'invite_link_expired',
      );
    }
    return link;
  }

  private async views(rows: InviteLink[], code = ''): Promise<InviteLinkView[]> {
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.creatorId)));
    return rows.map((row) => inviteLinkView(row, members, code));
  }
}
