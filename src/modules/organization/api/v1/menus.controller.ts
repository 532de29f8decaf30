import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import {
  createMenuRequest,
  updateMenuRequest,
  type CreateMenuRequest,
  type UpdateMenuRequest,
} from '@/modules/organization/dto/access.schemas';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { menuView } from '@/modules/organization/dto/access.views';
import { MenuService } from '@/modules/organization/menu.service';

const MENU_ADMINISTRATION =
  'one menu for the whole deployment: its administrators (platform.administrators) only, checked by the operation';

@ApiTags('menus')
@ApiBearerAuth()
@Controller('api/v1')
export class MenusController {
  constructor(private readonly menus: MenuService) {}

  @OrgPermission('project/index/index')
  @RpcTwin('MenuService/GetMenu')
  @Get('organizations/:organizationId/menu')
  @ApiOperation({
    summary:
      "The navigation menu as the caller's role in the organization shows it (project/index/index)",
  })
  async menu(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
  ) {
    return { items: (await this.menus.menuFor(caller.memberId, organizationId)).map(menuView) };
  }

  @NotOrgScoped('one menu for the whole deployment, the same in every organization')
  @RpcTwin('MenuService/ListMenus')
  @Get('menus')
  @ApiOperation({ summary: 'Every entry of the navigation menu, disabled ones too' })
  async all() {
    return { items: (await this.menus.all()).map(menuView) };
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  @RpcTwin('MenuService/CreateMenu')
  @Post('menus')
  @ApiOperation({
    summary:
      "Add a menu entry, at the top or under parentId (three levels): the deployment's administrators only",
  })
  @ApiZodBody(createMenuRequest)
  async create(
    @CurrentCaller() caller: Caller,
    @ValidBody(createMenuRequest) body: CreateMenuRequest,
  ) {
    return menuView(await this.menus.create(caller.memberId, body));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  @RpcTwin('MenuService/UpdateMenu')
  @Patch('menus/:menuId')
  @ApiOperation({ summary: "Change a menu entry: the deployment's administrators only" })
  @ApiZodBody(updateMenuRequest)
  async update(
    @CurrentCaller() caller: Caller,
    @IdParam('menuId', 'menu') menuId: number,
    @ValidBody(updateMenuRequest) body: UpdateMenuRequest,
  ) {
    return menuView(await this.menus.update(caller.memberId, menuId, body));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  @RpcTwin('MenuService/DisableMenu')
  @Post('menus/:menuId/disable')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Disable a menu entry (never shown, its children with it): the deployment's administrators only",
  })
  async disable(@CurrentCaller() caller: Caller, @IdParam('menuId', 'menu') menuId: number) {
    return menuView(await this.menus.setStatus(caller.memberId, menuId, false));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  @RpcTwin('MenuService/EnableMenu')
  @Post('menus/:menuId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: "Enable a menu entry again: the deployment's administrators only" })
  async enable(@CurrentCaller() caller: Caller, @IdParam('menuId', 'menu') menuId: number) {
    return menuView(await this.menus.setStatus(caller.memberId, menuId, true));
  }

  @NotOrgScoped(MENU_ADMINISTRATION)
  @RpcTwin('MenuService/DeleteMenu')
  @Delete('menus/:menuId')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Delete a menu entry with no entries under it (409 otherwise): the deployment's administrators only",
  })
  async remove(@CurrentCaller() caller: Caller, @IdParam('menuId', 'menu') menuId: number) {
    await this.menus.remove(caller.memberId, menuId);
  }
}
