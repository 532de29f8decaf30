import { Controller } from '@nestjs/common';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  MenuServiceControllerMethods,
  type MenuServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createMenuRequest,
  emptyMessage,
  updateMenuRequest,
  type CreateMenuRequest,
  type UpdateMenuRequest,
} from '../dto/access.schemas';
import { menuView } from '../dto/access.views';
import { MenuService } from '../menu.service';

const MENU_ADMINISTRATION =
  'one menu for the whole deployment: its administrators (platform.administrators) only, checked by the operation';

/** msproject.access.v1.MenuService: the same rules as the REST API. */
@Controller()
@MenuServiceControllerMethods()
export class MenusGrpcController implements GrpcService<MenuServiceController> {
  constructor(private readonly menus: MenuService) {}

  @OrgPermission('project/index/index')
  async getMenu(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    const entries = await this.menus.menuFor(caller.memberId, organizationId);
    return { items: wireMessage(entries.map(menuView)) };
  }

  @NotOrgScoped('one menu for the whole deployment, the same in every organization')
  async listMenus(@ValidPayload(emptyMessage) _request: object) {
    return { items: wireMessage((await this.menus.all()).map(menuView)) };
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  async createMenu(
    @ValidPayload(createMenuRequest) request: CreateMenuRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(menuView(await this.menus.create(caller.memberId, request)));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  async updateMenu(
    @SubjectId('menuId', 'menu') menuId: number,
    @ValidPayload(updateMenuRequest, { omit: ['menuId'] }) request: UpdateMenuRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(menuView(await this.menus.update(caller.memberId, menuId, request)));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  async disableMenu(@SubjectId('menuId', 'menu') menuId: number, @CurrentCaller() caller: Caller) {
    return wireMessage(menuView(await this.menus.setStatus(caller.memberId, menuId, false)));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  async enableMenu(@SubjectId('menuId', 'menu') menuId: number, @CurrentCaller() caller: Caller) {
    return wireMessage(menuView(await this.menus.setStatus(caller.memberId, menuId, true)));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  async deleteMenu(@SubjectId('menuId', 'menu') menuId: number, @CurrentCaller() caller: Caller) {
    await this.menus.remove(caller.memberId, menuId);
    return {};
  }
}
