import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { AreaDirectory } from '@/modules/organization/area-directory';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('api/v1/areas')
export class AreasController {
  constructor(private readonly areas: AreaDirectory) {}

  @NotOrgScoped("reference data for an organization's address, the same for everyone")
  @RpcTwin('OrganizationService/ListAreas')
  @Get()
  @ApiOperation({
    summary:
      "China's provinces, their cities and the cities' districts (GB/T 2260 codes), for address pickers",
  })
  list() {
    return { items: this.areas.tree() };
  }
}
