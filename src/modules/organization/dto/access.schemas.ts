import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { boundedList, cleanText, text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';

const roleName = text({ max: 50, required: true });
const description = text({ max: 500, multiline: true });
const organizationAddress = text({ max: 200 });

export const listRolesQuery = z.strictObject({ ...pageFields });

export const createRoleRequest = z.strictObject({
  name: roleName,
  description: description.optional(),
});

export const updateRoleRequest = z
  .strictObject({
    name: roleName.optional(),
    description: description.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** More than the catalogue holds, so that a complete set always fits. */
export const MAX_NODES_PER_ROLE = 300;

const nodeList = boundedList(cleanText(z.string()).max(100), MAX_NODES_PER_ROLE);

export const setRoleNodesRequest = z.strictObject({ nodes: nodeList });

/** proto3 sends an empty list as no field at all: over gRPC, no nodes means none. */
export const setRoleNodesMessage = z.strictObject({ nodes: nodeList.default([]) });

export const assignRoleRequest = z.strictObject({ roleId: publicId('role') });

export const updateOrganizationRequest = z
  .strictObject({
    name: text({ max: 100, required: true }).optional(),
    description: description.nullable().optional(),
    address: organizationAddress.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** A new organization: its founder becomes its owner. */
export const createOrganizationRequest = z.strictObject({
  name: text({ max: 100, required: true }),
  description: description.optional(),
  address: organizationAddress.optional(),
});

/** A message that carries nothing but the ids taken apart. */
export const emptyMessage = z.strictObject({});

export type ListRolesQuery = z.infer<typeof listRolesQuery>;
export type CreateRoleRequest = z.infer<typeof createRoleRequest>;
export type UpdateRoleRequest = z.infer<typeof updateRoleRequest>;
export type SetRoleNodesRequest = z.infer<typeof setRoleNodesRequest>;
export type AssignRoleRequest = z.infer<typeof assignRoleRequest>;
export type UpdateOrganizationRequest = z.infer<typeof updateOrganizationRequest>;
export type CreateOrganizationRequest = z.infer<typeof createOrganizationRequest>;
