import { z } from 'zod';
import { Problem } from '@/common/problem';
import { cleanText, text } from '@/common/schema-types';
import { MAX_NODES_PER_ROLE, type NodeChange } from '@/modules/organization/dto/access.schemas';
import { clientRoute, flag, formInt } from '../client-route';
import { clientMenu } from '../client-views';

const ADMINISTRATION =
  "the deployment's one menu and node catalogue: its administrators (platform.administrators) only, checked by the operation";

/** A menu entry as the client names it: the original's numeric id. */
const menuId = formInt({ min: 1, max: 2 ** 31 - 1 });

/** The menu page's form, as it sends it. */
const MENU_FORM = {
  title: text({ max: 100, required: true }),
  url: text({ max: 400, required: true }),
  file_path: text({ max: 200 }).optional(),
  node: text({ max: 100 }).optional(),
  sort: formInt({ min: 0, max: 1_000_000 }).optional(),
  params: text({ max: 500 }).optional(),
  values: text({ max: 255 }).optional(),
  icon: text({ max: 100 }).optional(),
  show_slider: flag.optional(),
  is_inner: flag.optional(),
};

/** The node page sends `{name: [{name}], value: [{value}], node}` per changed node. */
const NODE_FIELDS: Record<string, keyof Omit<NodeChange, 'node'>> = {
  title: 'title',
  is_menu: 'isMenu',
  is_auth: 'isAuth',
  is_login: 'isLogin',
};

const sentChange = z.object({
  node: z.string().max(100),
  name: z.array(z.object({ name: z.string().max(20) })).max(4),
  value: z
    .array(z.object({ value: z.union([z.string().max(50), z.boolean(), z.number()]) }))
    .max(4),
});

/** The node page's changes in the catalogue's terms; a field it cannot have is 400. */
function nodeChanges(sent: z.infer<typeof sentChange>[]): NodeChange[] {
  return sent.map((item, index) => {
    const change: NodeChange = { node: item.node };
    item.name.forEach(({ name }, position) => {
      const field = NODE_FIELDS[name];
      const value = item.value[position]?.value;
      if (!field || value === undefined) {
        throw Problem.invalid([
          { field: `list[${index}].name`, message: 'title, is_menu, is_auth or is_login' },
        ]);
      }
      if (field === 'title') change.title = String(value).trim();
      else change[field] = value === true || value === 1 || value === 'true' || value === '1';
    });
    return change;
  });
}

const nodeList = cleanText(z.string().max(MAX_NODES_PER_ROLE * 200), { multiline: true })
  .meta({ contentMediaType: 'application/json' })
  .transform((textValue, context) => {
    try {
      return JSON.parse(textValue) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON list' });
      return z.NEVER;
    }
  })
  .pipe(z.array(sentChange).min(1).max(MAX_NODES_PER_ROLE));

/** The menu page (菜单管理) and node page (节点管理) of the system settings. */
export const SYSTEM_ADMIN_ROUTES = [
  clientRoute({
    path: 'project/menu/menuAdd',
    summary:
      "Add a menu entry at the top (pid 0) or under pid (three levels): the deployment's administrators only",
    uses: 'MenuService.create',
    status: 'full',
    note: 'dept (the page\'s own level count) is passed over; node "#" or a catalogued node; file_path the url when empty',
    scope: { notOrgScoped: ADMINISTRATION },
    params: z.object({
      ...MENU_FORM,
      pid: formInt({ min: 0, max: 2 ** 31 - 1 }).default(0),
      status: z.enum(['0', '1']).default('1'),
    }),
    async handle({ params, memberId, services }) {
      const entry = await services.menus.create(memberId, {
        parentId: params.pid || undefined,
        title: params.title,
        url: params.url,
        node: params.node || '#',
        filePath: params.file_path,
        sort: params.sort ?? 0,
        params: params.params,
        values: params.values,
        icon: params.icon,
        isInner: params.is_inner ?? false,
        showSlider: params.show_slider ?? true,
        status: params.status === '1' ? 1 : 0,
      });
      return clientMenu(entry);
    },
  }),
  clientRoute({
    path: 'project/menu/menuEdit',
    summary: "Change a menu entry (where it sits stays): the deployment's administrators only",
    uses: 'MenuService.update',
    status: 'full',
    scope: { notOrgScoped: ADMINISTRATION },
    params: z.object({ id: menuId, ...MENU_FORM }),
    async handle({ params, memberId, services }) {
      const entry = await services.menus.update(memberId, params.id, {
        title: params.title,
        url: params.url,
        ...(params.node ? { node: params.node } : {}),
        filePath: params.file_path ?? '',
        ...(params.sort === undefined ? {} : { sort: params.sort }),
        params: params.params ?? '',
        values: params.values ?? '',
        icon: params.icon ?? '',
        isInner: params.is_inner ?? false,
        showSlider: params.show_slider ?? false,
      });
      return clientMenu(entry);
    },
  }),
  ...(
    [
      [
        'project/menu/menuForbid',
        "Disable a menu entry (shown to nobody, its children with it): the deployment's administrators only",
        false,
      ],
      [
        'project/menu/menuResume',
        "Enable a menu entry again: the deployment's administrators only",
        true,
      ],
    ] as const
  ).map(([path, summary, enabled]) =>
    clientRoute({
      path,
      summary,
      uses: 'MenuService.setStatus',
      status: 'full',
      note: 'status is passed over',
      scope: { notOrgScoped: ADMINISTRATION },
      params: z.object({ id: menuId }),
      async handle({ params, memberId, services }) {
        return clientMenu(await services.menus.setStatus(memberId, params.id, enabled));
      },
    }),
  ),
  clientRoute({
    path: 'project/menu/menuDel',
    summary: "Delete a menu entry that has none under it: the deployment's administrators only",
    uses: 'MenuService.remove',
    status: 'full',
    note: 'the original deleted the entries under it too; msproject refuses (409) until they are deleted first, so that no page loses its menu by accident',
    scope: { notOrgScoped: ADMINISTRATION },
    params: z.object({ id: menuId }),
    async handle({ params, memberId, services }) {
      await services.menus.remove(memberId, params.id);
      return '';
    },
  }),
  clientRoute({
    path: 'project/node/allList',
    summary:
      'The menu form\'s node picker: the catalogue\'s nodes containing node (with "#" 无节点权限 when node is "#")',
    uses: 'PermissionService.search',
    status: 'full',
    note: 'module is passed over: one catalogue',
    scope: { notOrgScoped: 'the catalogue is the same in every organization' },
    params: z.object({
      module: text({ max: 100 }).optional(),
      node: text({ max: 100 }).optional(),
    }),
    async handle({ params, services }) {
      const keyword = params.node?.trim() || undefined;
      // As the original: "#" (no node) is offered when asked for.
      if (keyword === '#')
        return [{ node: '#', title: '无节点权限', is_menu: 0, is_auth: 0, is_login: 0 }];
      return (await services.permissions.search(keyword)).map((entry) => ({
        node: entry.node,
        title: entry.title,
        is_menu: entry.isMenu ? 1 : 0,
        is_auth: entry.isAuth ? 1 : 0,
        is_login: entry.isLogin ? 1 : 0,
      }));
    },
  }),
  clientRoute({
    path: 'project/node/save',
    summary:
      "The node page's edits: titles and the is_menu, is_auth, is_login flags of catalogued nodes (list: JSON): the deployment's administrators only",
    uses: 'PermissionService.update',
    status: 'full',
    note: "which nodes exist, and what each governs, is msproject's code: an unknown node is refused (400), and the flags are what the page shows (access checks follow the code)",
    scope: { notOrgScoped: ADMINISTRATION },
    params: z.object({ list: nodeList }),
    async handle({ params, memberId, services }) {
      await services.permissions.update(memberId, nodeChanges(params.list));
      return '';
    },
  }),
  clientRoute({
    path: 'project/node/clear',
    summary:
      "Delete the catalogue rows of nodes msproject's code no longer has (and the roles' grants of them): the deployment's administrators only",
    uses: 'PermissionService.clear',
    status: 'full',
    scope: { notOrgScoped: ADMINISTRATION },
    params: z.object({}),
    async handle({ memberId, services }) {
      return services.permissions.clear(memberId);
    },
  }),
];
