import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { pageOf, type Page } from '@/modules/project/dto/project.views';
import { AccountViews } from './account-views';
import { AccountRepository } from './account.repository';
import {
  depthAfterMove,
  depthOf,
  isWithin,
  MAX_DEPARTMENT_DEPTH,
  pathUnder,
} from './department-tree';
import { DepartmentRepository } from './department.repository';
import type { AccountView } from './dto/account.views';
import {
  MAX_DEPARTMENTS,
  type CreateDepartmentRequest,
  type ListDepartmentsQuery,
  type UpdateDepartmentRequest,
} from './dto/department.schemas';
import {
  departmentTreeView,
  departmentView,
  type DepartmentNodeView,
  type DepartmentView,
} from './dto/department.views';
import type { Department } from './entities';
import { OrganizationLocks } from './organization-locks';

const TOO_DEEP = `at most ${MAX_DEPARTMENT_DEPTH} levels of departments`;

/**
 * An organization's department tree and who is in which department. Who may call them is the
 * organization-permission guard's to decide, before any of this runs.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class DepartmentService {
  constructor(
    private readonly departments: DepartmentRepository,
    private readonly accounts: AccountRepository,
    private readonly locks: OrganizationLocks,
    private readonly views: AccountViews,
  ) {}

  async list(
    callerId: number,
    organizationId: number,
    query: ListDepartmentsQuery,
  ): Promise<Page<DepartmentView>> {
    const parentId = query.parentDepartmentId ?? null;
    if (parentId !== null && !(await this.departments.find(organizationId, parentId))) {
      throw Problem.invalid([{ field: 'parentDepartmentId', message: 'no such department' }]);
    }
    const { rows, total } = await this.departments.listChildren(organizationId, parentId, query);
    return pageOf(rows.map(departmentView), total, query);
  }

  async tree(callerId: number, organizationId: number): Promise<{ items: DepartmentNodeView[] }> {
    return { items: departmentTreeView(await this.departments.listAll(organizationId)) };
  }

  async get(callerId: number, organizationId: number, id: number): Promise<DepartmentView> {
    return departmentView(await this.require(organizationId, id));
  }

  async create(
    callerId: number,
    organizationId: number,
    request: CreateDepartmentRequest,
  ): Promise<DepartmentView> {
    const created = await this.locks.withOrganization(organizationId, async (manager) => {
      if ((await this.departments.count(manager, organizationId)) >= MAX_DEPARTMENTS) {
        throw Problem.failedPrecondition(
          `an organization has at most ${MAX_DEPARTMENTS} departments`,
          undefined,
          'department_limit',
        );
      }
      const parent = await this.parent(manager, organizationId, request.parentDepartmentId);
      if (depthOf(pathUnder(parent)) > MAX_DEPARTMENT_DEPTH) {
        throw Problem.invalid([{ field: 'parentDepartmentId', message: TOO_DEEP }]);
      }
      return this.departments.create(manager, organizationId, parent, request.name);
    });
    return departmentView(created);
  }

  /** Renames it and/or moves it with its whole subtree, in one transaction. */
  async update(
    callerId: number,
    organizationId: number,
    id: number,
    request: UpdateDepartmentRequest,
  ): Promise<DepartmentView> {
    const updated = await this.locks.withOrganization(organizationId, async (manager) => {
      const department = await this.require(organizationId, id, manager);
      if (request.name !== undefined) {
        await this.departments.rename(manager, id, request.name);
      }
      if (request.parentDepartmentId !== undefined) {
        const parent = await this.parent(manager, organizationId, request.parentDepartmentId);
        if (parent && isWithin(parent, department)) {
          throw Problem.invalid([
            {
              field: 'parentDepartmentId',
              message: 'a department cannot move under itself or its own sub-departments',
            },
          ]);
        }
        if ((parent?.id ?? null) !== department.parentId) {
          const below = await this.departments.pathsBelow(manager, department);
          if (depthAfterMove(department.path, pathUnder(parent), below) > MAX_DEPARTMENT_DEPTH) {
            throw Problem.invalid([{ field: 'parentDepartmentId', message: TOO_DEEP }]);
          }
          await this.departments.move(manager, department, parent);
        }
      }
      return this.require(organizationId, id, manager);
    });
    return departmentView(updated);
  }

  /** Only an empty department: no sub-departments and no members (409 otherwise). */
  async delete(callerId: number, organizationId: number, id: number): Promise<void> {
    await this.locks.withOrganization(organizationId, async (manager) => {
      const department = await this.require(organizationId, id, manager);
      if (await this.departments.hasChildren(manager, department)) {
        throw Problem.failedPrecondition(
          'the department has sub-departments',
          undefined,
          'department_not_empty',
        );
      }
      if (await this.accounts.countInDepartment(manager, id)) {
        throw Problem.failedPrecondition(
          'the department has members',
          undefined,
          'department_not_empty',
        );
      }
      await this.departments.delete(manager, id);
    });
  }

  async members(
    callerId: number,
    organizationId: number,
    id: number,
    paging: Paging,
  ): Promise<Page<AccountView>> {
    await this.require(organizationId, id);
    return this.views.page(organizationId, { departmentId: id }, paging);
  }

  /** Puts the account in the department, out of whichever it was in. */
  async addMember(
    callerId: number,
    organizationId: number,
    id: number,
    accountId: number,
  ): Promise<AccountView> {
    await this.locks.withOrganization(organizationId, async (manager) => {
      await this.require(organizationId, id, manager);
      if (!(await this.accounts.find(organizationId, accountId, manager))) {
        throw Problem.invalid([{ field: 'accountId', message: 'no such account' }]);
      }
      await this.accounts.update(accountId, { departmentId: id }, manager);
    });
    return this.views.one(organizationId, accountId);
  }

  /** 404 unless the account is in this department. */
  async removeMember(
    callerId: number,
    organizationId: number,
    id: number,
    accountId: number,
  ): Promise<void> {
    await this.locks.withOrganization(organizationId, async (manager) => {
      await this.require(organizationId, id, manager);
      const account = await this.accounts.find(organizationId, accountId, manager);
      if (account?.departmentId !== id) throw Problem.notFound('not a member of this department');
      await this.accounts.update(accountId, { departmentId: null }, manager);
    });
  }

  private async require(
    organizationId: number,
    id: number,
    manager?: EntityManager,
  ): Promise<Department> {
    const department = await this.departments.find(organizationId, id, manager);
    if (!department) throw Problem.notFound('department not found');
    return department;
  }

  /** The department a request names as parent (a reference: 400 when unknown), or null. */
  private async parent(
    manager: EntityManager,
    organizationId: number,
    parentId: number | null | undefined,
  ): Promise<Department | null> {
    if (parentId === null || parentId === undefined) return null;
    const parent = await this.departments.find(organizationId, parentId, manager);
    if (!parent) {
      throw Problem.invalid([{ field: 'parentDepartmentId', message: 'no such department' }]);
    }
    return parent;
  }
}
