import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { AccessService, allows } from './access.service';
import { MenuRepository } from './menu.repository';
import { menuTree, NO_NODE, type MenuEntry } from './menu-tree';

/** The navigation menu: the whole of it, and what one member sees of it in an organization. */
@TracedService()
@Injectable()
export class MenuService {
  constructor(
    private readonly menus: MenuRepository,
    private readonly access: AccessService,
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
}
