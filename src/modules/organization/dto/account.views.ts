import { encodeId } from '@/common/public-id';
import { memberRef, type Members } from '@/modules/project/dto/project.views';
import type { AccountStatus, OrganizationRole } from '@/modules/user/entities/membership.entity';
import type { MemberSummary } from '@/modules/user/user-directory';

/** An account (a membership row) with the names of its role and department. */
export interface AccountRow {
  id: number;
  organizationId: number;
  memberId: number;
  role: OrganizationRole;
  roleId: number | null;
  roleName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  position: string | null;
  displayName: string | null;
  email: string | null;
  mobile: string | null;
  description: string | null;
  status: AccountStatus;
  createdAt: Date | string;
}

export interface NamedRef {
  id: string;
  name: string;
}

export interface AccountView {
  id: string;
  organizationId: string;
  member: MemberSummary;
  /** The organization's owner: never disabled or removed. */
  owner: boolean;
  role: NamedRef | null;
  department: NamedRef | null;
  position: string | null;
  /** The account's contact card in the organization (see Membership.displayName). */
  name: string | null;
  email: string | null;
  mobile: string | null;
  description: string | null;
  status: AccountStatus;
  joinedAt: string;
}

export function accountView(row: AccountRow, members: Members): AccountView {
  return {
    id: encodeId(row.id, 'account'),
    organizationId: encodeId(row.organizationId, 'organization'),
    member: memberRef(members, row.memberId),
    owner: row.role === 'owner',
    role: row.roleId ? { id: encodeId(row.roleId, 'role'), name: row.roleName ?? '' } : null,
    department: row.departmentId
      ? { id: encodeId(row.departmentId, 'department'), name: row.departmentName ?? '' }
      : null,
    position: row.position ?? null,
    name: row.displayName,
    email: row.email,
    mobile: row.mobile,
    description: row.description,
    status: row.status,
    joinedAt: new Date(row.createdAt).toISOString(),
  };
}

export interface RemovedAccountView {
  /** Open tasks in the organization's projects still assigned to the removed member. */
  openTasksStillAssigned: number;
}
