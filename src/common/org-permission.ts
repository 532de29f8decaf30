import { SetMetadata } from '@nestjs/common';

export const ORG_PERMISSION = 'msproject:org-permission';
export const NOT_ORG_SCOPED = 'msproject:not-org-scoped';

/**
 * An operation on an organization's own resources (its accounts, departments, roles, settings,
 * a project created in it), allowed to the organization's owner and to accounts whose role
 * holds `node`, one of the permission-node catalogue's strings. The organization comes from
 * the request (its path or message), never from the caller's token.
 */
export const OrgPermission = (node: string): MethodDecorator => SetMetadata(ORG_PERMISSION, node);

/** An operation outside any organization's resources (a member's own data, a project's), and why. */
export const NotOrgScoped = (reason: string): MethodDecorator =>
  SetMetadata(NOT_ORG_SCOPED, reason);
