import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { QueryFailedError } from 'typeorm';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { pageOf, type Page } from '@/modules/project/dto/project.views';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import type { CreateRoleRequest, UpdateRoleRequest } from './dto/access.schemas';
import {
  roleView,
  type AccountRoleView,
  type RoleNodesView,
  type RoleView,
} from './dto/access.views';
import type { Role, RoleStatus } from './entities';
import { PermissionService } from './permission.service';
import { RoleRepository } from './role.repository';

const NAME_TAKEN = 'a role of this name exists in the organization';

function isDuplicateKey(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  return (
    error instanceof QueryFailedError &&
    (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}

/**
 * An organization's roles: created, renamed, deleted while unused, one the default for new
 * accounts, their permission nodes, and the role each account holds. The caller's right to
 * do each is the org-permission guard's; these keep every role inside its organization.
 */
@TracedService()
@Injectable()
export class RoleService {
  constructor(
    private readonly roles: RoleRepository,
    private readonly catalogue: PermissionService,
    private readonly directory: OrganizationDirectory,
  ) {}

  async list(organizationId: number, paging: Paging): Promise<Page<RoleView>> {
    const { rows, total } = await this.roles.list(organizationId, paging);
    const holders = await this.directory.holderCounts(rows.map((role) => role.id));
    return pageOf(
      rows.map((role) => roleView(role, holders.get(role.id) ?? 0)),
      total,
      paging,
    );
  }

  async create(organizationId: number, request: CreateRoleRequest): Promise<RoleView> {
    const role = await this.unique(() => this.roles.create(organizationId, request));
    return this.get(organizationId, role.id);
  }

  async update(
    organizationId: number,
    roleId: number,
    request: UpdateRoleRequest,
  ): Promise<RoleView> {
    await this.require(organizationId, roleId);
    await this.unique(() => this.roles.update(roleId, request));
    return this.get(organizationId, roleId);
  }

  /** Custom roles only, and only while no account holds them and they are not the default. */
  async remove(organizationId: number, roleId: number): Promise<void> {
    await this.roles.transaction(async (manager) => {
      const role = (await this.roles.lockAll(organizationId, manager)).find(
        (candidate) => candidate.id === roleId,
      );
      if (!role) throw Problem.notFound('role not found');
      if (role.kind !== 'custom') {
        throw Problem.failedPrecondition(
          `the ${role.kind} role every organization has cannot be deleted`,
          undefined,
          'role_seeded',
        );
      }
      if (role.isDefault) {
        throw Problem.failedPrecondition(
          'the default role cannot be deleted: make another role the default first',
          undefined,
          'role_default',
        );
      }
      const holders = (await this.directory.holderCounts([roleId], manager)).get(roleId) ?? 0;
      if (holders > 0) {
        throw Problem.failedPrecondition(
          `${holders} account(s) hold this role: give them another first`,
          undefined,
          'role_in_use',
        );
      }
      await this.roles.delete(roleId, manager);
    });
  }

  /**
   * Disables a role (its holders keep their accounts but hold none of its nodes, from their
   * next request on) or enables it again. Never the admin role (the owner's) nor the default
   * one (new accounts get it): 409.
   */
  async setStatus(organizationId: number, roleId: number, status: RoleStatus): Promise<RoleView> {
    await this.roles.transaction(async (manager) => {
      const roles = await this.roles.lockAll(organizationId, manager);
      const role = roles.find((candidate) => candidate.id === roleId);
      if (!role) throw Problem.notFound('role not found');
      if (status === 'disabled' && role.kind === 'admin') {
        throw Problem.failedPrecondition(
          "the admin role cannot be disabled: the owner's account holds it",
          undefined,
          'role_admin',
        );
      }
      if (status === 'disabled' && role.isDefault) {
        throw Problem.failedPrecondition(
          'the default role cannot be disabled: make another role the default first',
          undefined,
          'role_default',
        );
      }
      if (role.status !== status) await this.roles.setStatus(roleId, status, manager);
    });
    return this.get(organizationId, roleId);
  }

  /** The role new accounts get; the organization's only default from then on. */
  async setDefault(organizationId: number, roleId: number): Promise<RoleView> {
    await this.roles.transaction(async (manager) => {
      const role = (await this.roles.lockAll(organizationId, manager)).find(
        (candidate) => candidate.id === roleId,
      );
      if (!role) throw Problem.notFound('role not found');
      if (role.status === 'disabled') {
        throw Problem.failedPrecondition(
          'a disabled role cannot be the default: enable it first',
          undefined,
          'role_disabled',
        );
      }
      await this.roles.makeDefault(organizationId, roleId, manager);
    });
    return this.get(organizationId, roleId);
  }

  /** The catalogue as a tree, with the role's nodes checked. */
  async nodes(organizationId: number, roleId: number): Promise<RoleNodesView> {
    await this.require(organizationId, roleId);
    const held = await this.roles.nodesOf(roleId);
    return {
      roleId: encodeId(roleId, 'role'),
      nodes: await this.catalogue.tree(new Set(held)),
      checked: held,
    };
  }

  /** The role holds exactly `nodes` from now on, all or nothing; each must be catalogued. */
  async setNodes(
    organizationId: number,
    roleId: number,
    nodes: readonly string[],
  ): Promise<RoleNodesView> {
    const unknown = await this.catalogue.unknown(nodes);
    if (unknown.length) {
      throw Problem.invalid(
        unknown.map(({ index, node }) => ({
          field: `nodes.${index}`,
          message: `${node} is not a permission node`,
        })),
      );
    }
    await this.roles.transaction(async (manager) => {
      const role = await this.roles.lockOne(organizationId, roleId, 'change', manager);
      if (!role) throw Problem.notFound('role not found');
      await this.roles.replaceNodes(roleId, [...new Set(nodes)], manager);
    });
    return this.nodes(organizationId, roleId);
  }

  /** The account holds `roleId` from now on; the owner's account keeps the admin role. */
  async assign(
    organizationId: number,
    accountId: number,
    roleId: number,
  ): Promise<AccountRoleView> {
    await this.roles.transaction(async (manager) => {
      const account = await this.directory.findAccount(organizationId, accountId, manager);
      if (!account) throw Problem.notFound('account not found');
      const role = await this.roles.lockOne(organizationId, roleId, 'use', manager);
      if (!role) throw Problem.invalid([{ field: 'roleId', message: 'no such role' }]);
      if (account.role === 'owner') {
        if (role.kind === 'admin') return;
        throw Problem.failedPrecondition(
          "the owner's account keeps the admin role",
          'roleId',
          'owner_keeps_admin',
        );
      }
      const standing = role.kind === 'admin' ? 'admin' : 'member';
      await this.directory.setAccountRole(account.id, role.id, standing, manager);
    });
    return { accountId: encodeId(accountId, 'account'), roleId: encodeId(roleId, 'role') };
  }

  /** The role an account new to the organization gets. */
  async defaultRoleOf(organizationId: number): Promise<Role> {
    const role = await this.roles.findDefault(organizationId);
    if (!role) throw new Error(`organization ${organizationId} has no default role`);
    return role;
  }

  private async get(organizationId: number, roleId: number): Promise<RoleView> {
    const role = await this.require(organizationId, roleId);
    const holders = await this.directory.holderCounts([roleId]);
    return roleView(role, holders.get(roleId) ?? 0);
  }

  private async require(organizationId: number, roleId: number): Promise<Role> {
    const role = await this.roles.find(organizationId, roleId);
    if (!role) throw Problem.notFound('role not found');
    return role;
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKey(error)) throw Problem.conflict('name', NAME_TAKEN);
      throw error;
    }
  }
}
