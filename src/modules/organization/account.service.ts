import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import type { EntityManager } from 'typeorm';
import { Problem } from '@/common/problem';
import { AssignedTasks } from '@/modules/project/assigned-tasks';
import type { Page } from '@/modules/project/dto/project.views';
import type { AccountStatus } from '@/modules/user/entities/membership.entity';
import { UserDirectory } from '@/modules/user/user-directory';
import { AccountViews } from './account-views';
import { AccountRepository, type AccountChanges } from './account.repository';
import { DepartmentRepository } from './department.repository';
import type { ListAccountsQuery, UpdateAccountRequest } from './dto/account.schemas';
import type { AccountRow, AccountView, RemovedAccountView } from './dto/account.views';
import { OrganizationLocks } from './organization-locks';

/**
 * The accounts of an organization: its members with their department, role, position and
 * status. Who may call them (an enabled account whose role holds the operation's node, or the
 * owner) is the organization-permission guard's to decide, before any of this runs.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly departments: DepartmentRepository,
    private readonly views: AccountViews,
    private readonly locks: OrganizationLocks,
    private readonly assignedTasks: AssignedTasks,
    private readonly directory: UserDirectory,
  ) {}

  async list(
    callerId: number,
    organizationId: number,
    query: ListAccountsQuery,
  ): Promise<Page<AccountView>> {
    if (query.departmentId !== undefined) {
      if (query.noDepartment) {
        throw Problem.invalid([
          { field: 'noDepartment', message: 'not together with departmentId' },
        ]);
      }
      if (!(await this.departments.find(organizationId, query.departmentId))) {
        throw Problem.invalid([{ field: 'departmentId', message: 'no such department' }]);
      }
    }
    return this.views.page(
      organizationId,
      {
        status: query.status,
        departmentId: query.noDepartment ? null : query.departmentId,
        keyword: query.keyword || undefined,
        memberId: query.memberId,
      },
      query,
    );
  }

  async get(callerId: number, organizationId: number, accountId: number): Promise<AccountView> {
    return this.views.one(organizationId, accountId);
  }

  /**
   * Department, position and the account's contact card (name, email, mobile, description).
   * A department or email change holds the organization's lock: an email is unique among its
   * accounts (409 `already_exists` naming `email`).
   */
  async update(
    callerId: number,
    organizationId: number,
    accountId: number,
    request: UpdateAccountRequest,
  ): Promise<AccountView> {
    const changes: AccountChanges = {};
    if (request.position !== undefined) changes.position = request.position;
    if (request.name !== undefined) changes.displayName = request.name;
    if (request.email !== undefined) changes.email = request.email;
    if (request.mobile !== undefined) changes.mobile = request.mobile;
    if (request.description !== undefined) changes.description = request.description;
    if (request.departmentId === undefined && !request.email) {
      await this.require(organizationId, accountId);
      await this.accounts.update(accountId, changes);
    } else {
      const departmentId = request.departmentId;
      await this.locks.withOrganization(organizationId, async (manager) => {
        await this.require(organizationId, accountId, manager);
        if (
          departmentId !== undefined &&
          departmentId !== null &&
          !(await this.departments.find(organizationId, departmentId, manager))
        ) {
          throw Problem.invalid([{ field: 'departmentId', message: 'no such department' }]);
        }
        if (
          request.email &&
          (await this.accounts.emailTaken(organizationId, request.email, accountId, manager))
        ) {
          throw Problem.conflict('email', 'another account of the organization has this email');
        }
        await this.accounts.update(
          accountId,
          departmentId === undefined ? changes : { ...changes, departmentId },
          manager,
        );
      });
    }
    return this.views.one(organizationId, accountId);
  }

  /**
   * The original's 同步 (sync): fills the card's empty email and mobile from the member's own,
   * under the organization's lock. An email another account of the organization already has
   * stays out (emails are unique among its accounts); filled fields are left as they are.
   */
  async syncFromMember(
    callerId: number,
    organizationId: number,
    accountId: number,
  ): Promise<AccountView> {
    await this.locks.withOrganization(organizationId, async (manager) => {
      const account = await this.require(organizationId, accountId, manager);
      const contact = await this.directory.contactOf(account.memberId);
      if (!contact) return;
      const changes: AccountChanges = {};
      if (!account.mobile && contact.mobile) changes.mobile = contact.mobile;
      if (
        !account.email &&
        contact.email &&
        !(await this.accounts.emailTaken(organizationId, contact.email, accountId, manager))
      ) {
        changes.email = contact.email;
      }
      if (Object.keys(changes).length) await this.accounts.update(accountId, changes, manager);
    });
    return this.get(callerId, organizationId, accountId);
  }

  /**
   * A disabled account reaches none of the organization's resources from its next request on
   * (every check reads the status from the primary) and its organization leaves the member's
   * list. The owner's account is never disabled.
   */
  async setStatus(
    callerId: number,
    organizationId: number,
    accountId: number,
    status: AccountStatus,
  ): Promise<AccountView> {
    const account = await this.require(organizationId, accountId);
    if (status === 'disabled' && account.role === 'owner') {
      throw Problem.failedPrecondition(
        "the owner's account cannot be disabled",
        undefined,
        'owner_account',
      );
    }
    if (account.status !== status) await this.accounts.update(accountId, { status });
    return this.views.one(organizationId, accountId);
  }

  /**
   * Ends the membership. The member's projects, tasks and assignments stay (project
   * membership has its own rules); the answer says how many open tasks in the organization's
   * projects are still assigned to them. The owner's account is never removed.
   */
  async remove(
    callerId: number,
    organizationId: number,
    accountId: number,
  ): Promise<RemovedAccountView> {
    const account = await this.require(organizationId, accountId);
    if (account.role === 'owner') {
      throw Problem.failedPrecondition(
        "the owner's account cannot be removed",
        undefined,
        'owner_account',
      );
    }
    await this.accounts.remove(accountId);
    return {
      openTasksStillAssigned: await this.assignedTasks.openInOrganization(
        account.memberId,
        organizationId,
      ),
    };
  }

  private async require(
    organizationId: number,
    accountId: number,
    manager?: EntityManager,
  ): Promise<AccountRow> {
    const account = await this.accounts.find(organizationId, accountId, manager);
    if (!account) throw Problem.notFound('account not found');
    return account;
  }
}
