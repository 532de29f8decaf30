import { Department } from './department.entity';
import { Invitation } from './invitation.entity';
import { InviteLink } from './invite-link.entity';
import { Menu } from './menu.entity';
import { PermissionNode } from './permission-node.entity';
import { RoleNode } from './role-node.entity';
import { Role } from './role.entity';
import { SystemSetting } from './system-setting.entity';

export { Department, Invitation, InviteLink, Menu, PermissionNode, Role, RoleNode, SystemSetting };
export { INVITATION_STATUSES, type InvitationStatus } from './invitation.entity';
export { ROLE_KINDS, ROLE_STATUSES, type RoleKind, type RoleStatus } from './role.entity';

/** The organization module's own tables (accounts are the user module's memberships). */
export const ORGANIZATION_ENTITIES = [
  Department,
  Role,
  RoleNode,
  PermissionNode,
  Menu,
  Invitation,
  InviteLink,
  SystemSetting,
];
