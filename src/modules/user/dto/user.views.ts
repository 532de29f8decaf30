import { encodeId } from '@/common/public-id';
import type { Member } from '../entities';
import type { OrganizationOfMember } from '../member.repository';

/** A member as clients see it: opaque id, no password hash. */
export interface MemberView {
  id: string;
  account: string;
  email: string;
  mobile: string;
  name: string;
  avatar: string | null;
  description: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface OrganizationView {
  id: string;
  name: string;
  description: string | null;
  address: string | null;
  personal: boolean;
  role: string;
  ownerId: string;
  createdAt: string;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

export function memberView(member: Member): MemberView {
  return {
    id: encodeId(member.id, 'member'),
    account: member.account,
    email: member.email,
    mobile: member.mobile,
    name: member.name,
    avatar: member.avatar ?? null,
    description: member.description ?? null,
    createdAt: iso(member.createdAt)!,
    lastLoginAt: iso(member.lastLoginAt),
  };
}

/**
 * The one rule of what others may see of a member: the profile, never the contact details
 * (email, mobile) or the last login, which only the member sees.
 */
export function memberSeenBy(member: MemberView, viewerId: number | null): MemberView {
  const own = viewerId !== null && encodeId(viewerId, 'member') === member.id;
  return own ? member : { ...member, email: '', mobile: '', lastLoginAt: null };
}

export function organizationView({ organization, role }: OrganizationOfMember): OrganizationView {
  return {
    id: encodeId(organization.id, 'organization'),
    name: organization.name,
    description: organization.description ?? null,
    address: organization.address ?? null,
    personal: Boolean(organization.personal),
    role,
    ownerId: encodeId(organization.ownerId, 'member'),
    createdAt: iso(organization.createdAt)!,
  };
}
