import { encodeId } from '@/common/public-id';
import type { Organization } from '@/modules/user/entities';
import type { PermissionNode, Role, RoleKind, RoleStatus } from '../entities';
import type { MenuEntry } from '../menu-tree';

const iso = (value: Date | string) => new Date(value).toISOString();

export interface RoleView {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  kind: RoleKind;
  isDefault: boolean;
  /** A disabled role grants its holders none of its nodes. */
  status: RoleStatus;
  /** A custom role that is not the default and that no account holds. */
  canDelete: boolean;
  createdAt: string;
}

export function roleView(role: Role, holders: number): RoleView {
  const isDefault = Boolean(role.isDefault);
  return {
    id: encodeId(role.id, 'role'),
    organizationId: encodeId(role.organizationId, 'organization'),
    name: role.name,
    description: role.description ?? null,
    kind: role.kind,
    isDefault,
    status: role.status,
    canDelete: role.kind === 'custom' && !isDefault && holders === 0,
    createdAt: iso(role.createdAt),
  };
}

export interface NodeView {
  node: string;
  title: string;
  isMenu: boolean;
  isAuth: boolean;
  isLogin: boolean;
  /** Held by the role; null in the catalogue itself. */
  checked: boolean | null;
  /** A group's nodes; null on a leaf. */
  children: NodeView[] | null;
}

/** The catalogue as a tree of groups, in its order; `checked` marks a role's nodes when given. */
export function nodeTree(
  rows: readonly PermissionNode[],
  checked?: ReadonlySet<string>,
): NodeView[] {
  const childrenOf = new Map<string | null, PermissionNode[]>();
  for (const row of rows) {
    const siblings = childrenOf.get(row.parent) ?? [];
    siblings.push(row);
    childrenOf.set(row.parent, siblings);
  }
  const build = (parent: string | null): NodeView[] =>
    (childrenOf.get(parent) ?? []).map((row) => {
      const children = build(row.node);
      return {
        node: row.node,
        title: row.title,
        isMenu: Boolean(row.isMenu),
        isAuth: Boolean(row.isAuth),
        isLogin: Boolean(row.isLogin),
        checked: checked ? checked.has(row.node) : null,
        children: children.length ? children : null,
      };
    });
  return build(null);
}

export interface RoleNodesView {
  roleId: string;
  /** The whole catalogue, each node checked or not. */
  nodes: NodeView[];
  /** The nodes the role holds. */
  checked: string[];
}

export interface AccountRoleView {
  accountId: string;
  roleId: string;
}

export interface MenuView {
  id: string;
  parentId: string | null;
  title: string;
  icon: string;
  url: string;
  filePath: string;
  params: string;
  node: string;
  sort: number;
  status: number;
  statusText: string;
  isInner: boolean;
  innerText: string;
  values: string;
  showSlider: boolean;
  fullUrl: string;
  /** null on a leaf, as the original web client tells leaves. */
  children: MenuView[] | null;
}

export function menuView(entry: MenuEntry): MenuView {
  return {
    id: encodeId(entry.id, 'menu'),
    parentId: entry.parentId ? encodeId(entry.parentId, 'menu') : null,
    title: entry.title,
    icon: entry.icon,
    url: entry.url,
    filePath: entry.filePath,
    params: entry.params,
    node: entry.node,
    sort: entry.sort,
    status: entry.status,
    statusText: entry.statusText,
    isInner: Boolean(entry.isInner),
    innerText: entry.innerText,
    values: entry.values,
    showSlider: Boolean(entry.showSlider),
    fullUrl: entry.fullUrl,
    children: entry.children ? entry.children.map(menuView) : null,
  };
}

export interface OrganizationSettingsView {
  id: string;
  name: string;
  description: string | null;
  address: string | null;
  personal: boolean;
  ownerId: string;
  createdAt: string;
}

export function organizationSettingsView(organization: Organization): OrganizationSettingsView {
  return {
    id: encodeId(organization.id, 'organization'),
    name: organization.name,
    description: organization.description ?? null,
    address: organization.address ?? null,
    personal: Boolean(organization.personal),
    ownerId: encodeId(organization.ownerId, 'member'),
    createdAt: iso(organization.createdAt),
  };
}
