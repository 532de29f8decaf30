import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { menuView } from '@/modules/organization/dto/access.views';
import { MenuService } from '@/modules/organization/menu.service';

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
}
