import { Member } from './member.entity';
import { Membership } from './membership.entity';
import { Organization } from './organization.entity';
import { Session } from './session.entity';

export { Member, Membership, Organization, Session };
export { ORGANIZATION_ROLES, type OrganizationRole } from './membership.entity';

/** The user module's tables. */
export const USER_ENTITIES = [Member, Organization, Membership, Session];
