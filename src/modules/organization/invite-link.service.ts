import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import { RateLimiter } from '@/common/rate-limiter';
import type { AppConfig } from '@/config/schema';
import { memberIdsOf, pageOf, type Page } from '@/modules/project/dto/project.views';
import { ProjectAccess } from '@/modules/project/project-access';
import { ProjectService } from '@/modules/project/project.service';
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
    private readonly projects: ProjectService,
    private readonly projectAccess: ProjectAccess,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** A new link; the answer is the only place its code appears. */
  async create(callerId: number, organizationId: number): Promise<InviteLinkView> {
    return this.createLink(callerId, organizationId, null);
  }

  /**
   * A new link into a project of the caller's (its owner's) that lies in an organization:
   * who opens it joins that organization and the project. It opens nothing once the creator
   * no longer owns the project or the project is in the recycle bin.
   */
  async createForProject(callerId: number, projectId: number): Promise<InviteLinkView> {
    const { project } = ProjectAccess.writable(
      await this.projectAccess.require(callerId, projectId, 'owner'),
    );
    if (project.organizationId === null) {
      throw Problem.failedPrecondition('the project belongs to no organization', 'projectId');
    }
    return this.createLink(callerId, project.organizationId, project.id);
  }

  private async createLink(
    callerId: number,
    organizationId: number,
    projectId: number | null,
  ): Promise<InviteLinkView> {
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
      projectId,
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

  /**
   * What the link's holder is shown: the organization (and the project, for a project's link)
   * and who created the link.
   */
  async preview(code: string): Promise<InviteLinkPreview> {
    const link = this.usable(await this.links.findByCodeHash(hashOf(code)));
    const [organization, members, project] = await Promise.all([
      this.organizations.findOrganization(link.organizationId),
      this.directory.summaries([link.creatorId]),
      link.projectId === null
        ? null
        : this.projects.invitationTarget(link.creatorId, link.projectId),
    ]);
    if (!organization) throw notFound();
    const [view] = await this.views([link]);
    return {
      organization: { id: encodeId(organization.id, 'organization'), name: organization.name },
      project: project ? { id: encodeId(project.id, 'project'), name: project.name } : undefined,
      inviter: members.get(link.creatorId) ?? view.creator,
      expiresAt: view.expiresAt,
    };
  }

  /**
   * Joins the link's organization with its default role, as an enabled account, and for a
   * project's link that project too. A member already there stays as they are (a disabled
   * account stays disabled, and then joins no project through it).
   */
  async join(callerId: number, code: string): Promise<NamedRef> {
    const found = this.usable(await this.links.findByCodeHash(hashOf(code)));
    if (found.projectId !== null) {
      await this.projects.invitationTarget(found.creatorId, found.projectId);
    }
    const joined = await this.locks.withOrganization(
      found.organizationId,
      async (manager, organization) => {
        // Checked again under the organization's lock: a revoke may have come meanwhile.
        this.usable(await manager.findOneBy(InviteLink, { id: found.id }));
        if (!(await this.accounts.existsFor(manager, organization.id, callerId))) {
          await this.accounts.join(manager, organization.id, callerId);
          await this.links.countJoin(manager, found.id);
        }
        return { id: encodeId(organization.id, 'organization'), name: organization.name };
      },
    );
    if (found.projectId !== null) {
      const account = await this.accounts.findOfMemberOnPrimary(found.organizationId, callerId);
      if (account?.status !== 'active') {
        throw Problem.forbidden('your account in this organization is disabled');
      }
      await this.projects.admitByInvitation(found.creatorId, found.projectId, callerId);
    }
    return joined;
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
