import { z } from 'zod';
import { cleanText, text } from '@/common/schema-types';
import { ZodValidationPipe } from '@/common/zod-validation';
import { allows } from '@/modules/organization/access.service';
import { MAX_NODES_PER_ROLE } from '@/modules/organization/dto/access.schemas';
import type { DepartmentNodeView } from '@/modules/organization/dto/department.views';
import { clientRoute, formPage, jsonList, optionalCode, subjectCode } from '../client-route';
import {
  clientAccount,
  clientAuthTree,
  clientDepartment,
  clientMenu,
  clientNode,
  clientPage,
  clientRole,
} from '../client-views';
import { DEPARTMENT_FORM, editDepartment } from './admin-writes.routes';

const SAVED_NODES = z.object({
  nodes: jsonList(cleanText(z.string()).max(100), MAX_NODES_PER_ROLE).optional(),
});

const CATALOGUE = 'one menu and node catalogue for the whole deployment, the same everywhere';

/** The original's `searchType` of the member page: 3 the disabled accounts, else the active. */
const STATUS_BY_SEARCH_TYPE: Record<string, 'active' | 'disabled'> = { '3': 'disabled' };

/** Whose sub-departments have sub-departments of their own, from the whole tree. */
function withChildren(forest: DepartmentNodeView[]): Set<string> {
  const parents = new Set<string>();
  const walk = (nodes: DepartmentNodeView[]) => {
    for (const node of nodes) {
      if (node.children.length) parents.add(node.id);
      walk(node.children);
    }
  };
  walk(forest);
  return parents;
}

export const ADMIN_ROUTES = [
  clientRoute({
    path: 'project/index',
    summary:
      "The navigation menu as the caller's role in the current organization shows it, ids as the original's (the client routes by them)",
    uses: 'MenuService.menuFor',
    status: 'full',
    scope: { orgPermission: 'project/index/index' },
    params: z.object({}),
    async handle({ memberId, services, organization }) {
      const entries = await services.menus.menuFor(memberId, await organization());
      return entries.map(clientMenu);
    },
  }),
  clientRoute({
    path: 'project/menu/menu',
    summary: 'Every entry of the navigation menu, disabled ones too',
    uses: 'MenuService.all',
    status: 'full',
    scope: { notOrgScoped: CATALOGUE },
    params: z.object({}),
    async handle({ services }) {
      return (await services.menus.all()).map(clientMenu);
    },
  }),
  clientRoute({
    path: 'project/node',
    summary: 'The permission-node catalogue, as a tree of groups',
    uses: 'PermissionService.tree',
    status: 'full',
    note: 'module is ignored: one catalogue',
    scope: { notOrgScoped: CATALOGUE },
    params: z.object({ module: text({ max: 100 }).optional() }),
    async handle({ services }) {
      return { nodes: (await services.permissions.tree()).map((node) => clientNode(node, '')) };
    },
  }),
  clientRoute({
    path: 'project/auth',
    summary: "The current organization's roles",
    uses: 'RoleService.list',
    status: 'full',
    scope: { orgPermission: 'project/auth/index' },
    params: z.object({ ...formPage }),
    async handle({ params, services, organization, timeZone }) {
      const page = await services.roles.list(await organization(), params);
      return clientPage(page, (role) => clientRole(role, timeZone));
    },
  }),
  clientRoute({
    path: 'project/auth/apply',
    summary:
      "A role's permission nodes: the catalogue tree with them checked (getnode), or replace them (save, nodes as a JSON list)",
    uses: 'RoleService.nodes, RoleService.setNodes',
    status: 'full',
    scope: { orgPermission: 'project/auth/apply' },
    params: z.object({
      action: z.enum(['getnode', 'save']),
      id: subjectCode('role'),
      /** Read once the role is found: a role that is not there is "not found" first. */
      nodes: cleanText(z.string().max(MAX_NODES_PER_ROLE * 104), { multiline: true })
        .meta({ examples: ['["project/index"]'] })
        .optional(),
    }),
    async handle({ params, services, organization }) {
      const organizationId = await organization();
      let view = await services.roles.nodes(organizationId, params.id);
      if (params.action === 'save') {
        const { nodes } = new ZodValidationPipe(SAVED_NODES).transform({ nodes: params.nodes });
        view = await services.roles.setNodes(organizationId, params.id, nodes ?? []);
      }
      return { list: view.nodes.map(clientAuthTree), checkedList: view.checked };
    },
  }),
  clientRoute({
    path: 'project/account',
    summary:
      "The current organization's accounts: active (searchType 0, 1), active in no department (2), disabled (3), or a department's (4 with departmentCode), matching keyword; authList the roles, when the caller may list them",
    uses: 'AccountService.list, RoleService.list',
    status: 'full',
    note: 'keyword: part of the name or account name (wildcards taken literally), or a whole email',
    scope: { orgPermission: 'project/account/index' },
    params: z.object({
      searchType: z.enum(['0', '1', '2', '3', '4']).default('1'),
      departmentCode: optionalCode('department'),
      keyword: text({ max: 50 }).optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services, organization, timeZone }) {
      const organizationId = await organization();
      // The client keeps the last department it showed: a code that names none is not found.
      if (params.departmentCode !== undefined) {
        await services.departments.get(memberId, organizationId, params.departmentCode);
      }
      const page = await services.accounts.list(memberId, organizationId, {
        status: STATUS_BY_SEARCH_TYPE[params.searchType] ?? 'active',
        departmentId: params.searchType === '4' ? params.departmentCode : undefined,
        noDepartment: params.searchType === '2',
        keyword: params.keyword,
        page: params.page,
        pageSize: params.pageSize,
      });
      const grants = await services.access.grantsOf(memberId, organizationId);
      const roles = allows(grants, 'project/auth/index')
        ? (await services.roles.list(organizationId, { page: 1, pageSize: 100 })).items
        : [];
      return {
        ...clientPage(page, (account) => clientAccount(account, timeZone)),
        authList: roles.map((role) => ({ id: role.id, code: role.id, title: role.name })),
      };
    },
  }),
  clientRoute({
    path: 'project/department',
    summary: 'One level of the department tree: the top, or the sub-departments of pcode',
    uses: 'DepartmentService.list, DepartmentService.tree',
    status: 'full',
    scope: { orgPermission: 'project/department/index' },
    params: z.object({ pcode: optionalCode('department'), ...formPage }),
    async handle({ params, memberId, services, organization, timeZone }) {
      const organizationId = await organization();
      // A parent that is not the organization's is not found, as a department read.
      if (params.pcode !== undefined) {
        await services.departments.get(memberId, organizationId, params.pcode);
      }
      const page = await services.departments.list(memberId, organizationId, {
        parentDepartmentId: params.pcode,
        page: params.page,
        pageSize: params.pageSize,
      });
      const parents = withChildren(
        (await services.departments.tree(memberId, organizationId)).items,
      );
      return clientPage(page, (department) =>
        clientDepartment(department, timeZone, parents.has(department.id)),
      );
    },
  }),
  clientRoute({
    path: 'project/department/save',
    summary:
      'Create a department (at the top, or under parentDepartmentCode), or rename the one departmentCode names (and move it with its sub-departments under parentDepartmentCode when one is sent)',
    uses: 'DepartmentService.create, DepartmentService.update',
    status: 'full',
    note: 'a rename also needs project/department/edit',
    scope: { orgPermission: 'project/department/save' },
    params: z.object({ departmentCode: optionalCode('department'), ...DEPARTMENT_FORM }),
    async handle(call) {
      const { params, memberId, services, organization, timeZone } = call;
      const organizationId = await organization();
      if (params.departmentCode === undefined) {
        const created = await services.departments.create(memberId, organizationId, {
          name: params.name,
          parentDepartmentId: params.parentDepartmentCode,
        });
        return clientDepartment(created, timeZone, false);
      }
      await services.access.require(memberId, organizationId, 'project/department/edit');
      return editDepartment(call, params.departmentCode, params);
    },
  }),
  clientRoute({
    path: 'project/department/read',
    summary: 'A department',
    uses: 'DepartmentService.get',
    status: 'full',
    scope: { orgPermission: 'project/department/read' },
    params: z.object({ departmentCode: subjectCode('department') }),
    async handle({ params, memberId, services, organization, timeZone }) {
      const department = await services.departments.get(
        memberId,
        await organization(),
        params.departmentCode,
      );
      return clientDepartment(department, timeZone, false);
    },
  }),
];
