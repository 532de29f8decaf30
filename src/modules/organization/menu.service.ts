import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { PlatformAdministrators } from '@/modules/user/platform-administrators';
import { AccessService, allows } from './access.service';
import type { CreateMenuRequest, UpdateMenuRequest } from './dto/access.schemas';
import type { Menu } from './entities';
import { MenuRepository, type MenuFields } from './menu.repository';
import { entryOf, menuTree, NO_NODE, type MenuEntry } from './menu-tree';
import { isCatalogued } from './permission-catalogue';

/** The client builds routes three levels deep (top, group, page). */
export const MENU_LEVELS = 3;

/**
 * The navigation menu: the whole of it, what one member sees of it in an organization, and
 * its editing. It is one menu for the whole deployment, so only the deployment's
 * administrators (`platform.administrators`) change it; an organization's owner does not.
 */
@TracedService()
@Injectable()
export class MenuService {
  constructor(
    private readonly menus: MenuRepository,
    private readonly access: AccessService,
    private readonly administrators: PlatformAdministrators,
  ) {}

  /**
   * The entries in use whose node the member's role grants (all of them for the owner), with
   * the groups that keep a visible entry.
   */
  async menuFor(memberId: number, organizationId: number): Promise<MenuEntry[]> {
    const grants = await this.access.grantsOf(memberId, organizationId);
    return menuTree(
      await this.menus.all(),
      (row) => row.status === 1 && (row.node === NO_NODE || allows(grants, row.node)),
    );
  }

  /** Every entry, disabled ones too. */
  async all(): Promise<MenuEntry[]> {
    return menuTree(await this.menus.all(), () => true);
  }

  /**
   * A new entry, at the top or under `parentId` (three levels at most); its node is "#" or
   * one of the catalogue's, its file path the url when none is given.
   */
  async create(memberId: number, request: CreateMenuRequest): Promise<MenuEntry> {
    await this.administrators.require(memberId);
    checkNode(request.node);
    const parentId = request.parentId ?? 0;
    if (parentId) {
      const rows = await this.menus.all();
      const parent = rows.find((row) => row.id === parentId);
      if (!parent) throw Problem.invalid([{ field: 'parentId', message: 'no such menu entry' }]);
      if (depthOf(parent, rows) >= MENU_LEVELS) {
        throw Problem.invalid([
          { field: 'parentId', message: `the menu has ${MENU_LEVELS} levels at most` },
        ]);
      }
    }
    const fields: MenuFields = {
      parentId,
      title: request.title,
      icon: request.icon ?? '',
      url: request.url,
      filePath: request.filePath || request.url,
      params: request.params ?? '',
      node: request.node,
      sort: request.sort,
      status: request.status,
      isInner: request.isInner,
      values: request.values ?? '',
      showSlider: request.showSlider,
    };
    return entryOf(await this.menus.create(fields));
  }

  /** Changes an entry's fields (where it sits stays); an empty file path becomes the url. */
  async update(memberId: number, menuId: number, request: UpdateMenuRequest): Promise<MenuEntry> {
    await this.administrators.require(memberId);
    const current = await this.require(menuId);
    if (request.node !== undefined) checkNode(request.node);
    const changes: Partial<MenuFields> = { ...request };
    if (request.filePath !== undefined || request.url !== undefined) {
      changes.filePath = request.filePath || (request.url ?? current.url);
    }
    await this.menus.update(menuId, changes);
    return entryOf(await this.require(menuId));
  }

  /** Disables (never shown to anyone) or enables an entry; its children go with it. */
  async setStatus(memberId: number, menuId: number, enabled: boolean): Promise<MenuEntry> {
    await this.administrators.require(memberId);
    await this.require(menuId);
    await this.menus.update(menuId, { status: enabled ? 1 : 0 });
    return entryOf(await this.require(menuId));
  }

  /** Deletes an entry that has no children (409 `menu_has_children` otherwise). */
  async remove(memberId: number, menuId: number): Promise<void> {
    await this.administrators.require(memberId);
    await this.require(menuId);
    if (await this.menus.hasChildren(menuId)) {
      throw Problem.failedPrecondition(
        'the entry has entries under it: delete or move them first',
        undefined,
        'menu_has_children',
      );
    }
    if (!(await this.menus.remove(menuId))) throw Problem.notFound('menu entry not found');
  }

  private async require(menuId: number): Promise<Menu> {
    const row = await this.menus.find(menuId);
    if (!row) throw Problem.notFound('menu entry not found');
    return row;
  }
}

function checkNode(node: string): void {
  if (node !== NO_NODE && !isCatalogued(node)) {
    throw Problem.invalid([
      { field: 'node', message: 'must be "#" or a node of the permission-node catalogue' },
    ]);
  }
}

/** How deep an entry sits: 1 at the top. */
function depthOf(row: Menu, rows: readonly Menu[]): number {
  let depth = 1;
  let parentId = row.parentId;
  while (parentId && depth <= MENU_LEVELS) {
    const parent = rows.find((candidate) => candidate.id === parentId);
    if (!parent) break;
    depth++;
    parentId = parent.parentId;
  }
  return depth;
}
