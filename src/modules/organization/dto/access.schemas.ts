import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { boundedList, cleanText, text } from '@/common/schema-types';
import { queryText } from '@/common/valid-query';
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

const menuText = (max: number) => text({ max });

/** A menu entry's fields, as the menu page's form has them. */
const menuFields = {
  title: text({ max: 100, required: true }),
  /** The client route ("project/list"); "#" for a group. */
  url: text({ max: 400, required: true }),
  /** The client's view folder; the url when empty. */
  filePath: menuText(200),
  /** A node of the catalogue, or "#" for none (a group, a page anyone may open). */
  node: text({ max: 100, required: true }),
  sort: z.number().int().min(0).max(1_000_000),
  params: menuText(500),
  values: menuText(255),
  icon: menuText(100),
  isInner: z.boolean(),
  showSlider: z.boolean(),
};

export const createMenuRequest = z.strictObject({
  /** The entry it goes under; absent at the top. The menu has three levels. */
  parentId: publicId('menu').optional(),
  title: menuFields.title,
  url: menuFields.url,
  node: menuFields.node.default('#'),
  filePath: menuFields.filePath.optional(),
  sort: menuFields.sort.default(0),
  params: menuFields.params.optional(),
  values: menuFields.values.optional(),
  icon: menuFields.icon.optional(),
  isInner: menuFields.isInner.default(false),
  showSlider: menuFields.showSlider.default(true),
  /** 1 in use (the default), 0 disabled. */
  status: z.union([z.literal(0), z.literal(1)]).default(1),
});

export const updateMenuRequest = z
  .strictObject({
    title: menuFields.title.optional(),
    url: menuFields.url.optional(),
    node: menuFields.node.optional(),
    filePath: menuFields.filePath.optional(),
    sort: menuFields.sort.optional(),
    params: menuFields.params.optional(),
    values: menuFields.values.optional(),
    icon: menuFields.icon.optional(),
    isInner: menuFields.isInner.optional(),
    showSlider: menuFields.showSlider.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** A change of one node's title or flags. */
export const nodeChange = z.strictObject({
  node: text({ max: 100, required: true }),
  title: text({ max: 50, required: true }).optional(),
  isMenu: z.boolean().optional(),
  isAuth: z.boolean().optional(),
  isLogin: z.boolean().optional(),
});

export const updateNodesRequest = z.strictObject({
  nodes: boundedList(nodeChange, MAX_NODES_PER_ROLE, 1),
});

export const searchNodesQuery = z.strictObject({
  /** Part of the node string. */
  node: queryText({ max: 100 }).optional(),
});

export const updateSystemSettingsRequest = z
  .strictObject({
    appName: text({ max: 100 }).optional(),
    appVersion: text({ max: 50 }).optional(),
    siteName: text({ max: 100 }).optional(),
    siteCopy: text({ max: 500 }).optional(),
    miitbeian: text({ max: 100 }).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** A message that carries nothing but the ids taken apart. */
export const emptyMessage = z.strictObject({});

export type ListRolesQuery = z.infer<typeof listRolesQuery>;
export type CreateRoleRequest = z.infer<typeof createRoleRequest>;
export type UpdateRoleRequest = z.infer<typeof updateRoleRequest>;
export type SetRoleNodesRequest = z.infer<typeof setRoleNodesRequest>;
export type AssignRoleRequest = z.infer<typeof assignRoleRequest>;
export type UpdateOrganizationRequest = z.infer<typeof updateOrganizationRequest>;
export type CreateOrganizationRequest = z.infer<typeof createOrganizationRequest>;
export type CreateMenuRequest = z.infer<typeof createMenuRequest>;
export type UpdateMenuRequest = z.infer<typeof updateMenuRequest>;
export type NodeChange = z.infer<typeof nodeChange>;
export type UpdateNodesRequest = z.infer<typeof updateNodesRequest>;
export type SearchNodesQuery = z.infer<typeof searchNodesQuery>;
export type UpdateSystemSettingsRequest = z.infer<typeof updateSystemSettingsRequest>;
