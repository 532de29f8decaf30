import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import { AccountService } from '@/modules/organization/account.service';
import {
  listAccountsQuery,
  updateAccountRequest,
  type ListAccountsQuery,
  type UpdateAccountRequest,
} from '@/modules/organization/dto/account.schemas';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @RpcTwin('AccountService/ListAccounts')
  @OrgPermission('project/account/index')
  @Get()
  @ApiOperation({ summary: "The organization's accounts, by status and department" })
  @ApiZodQuery(listAccountsQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(listAccountsQuery) query: ListAccountsQuery,
  ) {
    return this.accounts.list(caller.memberId, organizationId, query);
  }

  @RpcTwin('AccountService/GetAccount')
  @OrgPermission('project/account/read')
  @Get(':accountId')
  @ApiOperation({ summary: 'An account: member, role, department, position and status' })
  get(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    return this.accounts.get(caller.memberId, organizationId, accountId);
  }

  @RpcTwin('AccountService/UpdateAccount')
  @OrgPermission('project/account/edit')
  @Patch(':accountId')
  @ApiOperation({
    summary:
      "Change an account's department, position or contact card in the organization (name, email unique in it, mobile, description)",
  })
  @ApiZodBody(updateAccountRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
    @ValidBody(updateAccountRequest) body: UpdateAccountRequest,
  ) {
    return this.accounts.update(caller.memberId, organizationId, accountId, body);
  }

  @RpcTwin('AccountService/DisableAccount')
  @OrgPermission('project/account/forbid')
  @Post(':accountId/disable')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Disable an account: it reaches none of the organization's resources (never the owner's)",
  })
  disable(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    return this.accounts.setStatus(caller.memberId, organizationId, accountId, 'disabled');
  }

  @RpcTwin('AccountService/SyncAccountFromMember')
  @OrgPermission('project/account/edit')
  @Post(':accountId/sync')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Fill the account card's empty email and mobile from the member's own (an email another account has stays out)",
  })
  sync(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    return this.accounts.syncFromMember(caller.memberId, organizationId, accountId);
  }

  @RpcTwin('AccountService/EnableAccount')
  @OrgPermission('project/account/resume')
  @Post(':accountId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account again' })
  enable(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    return this.accounts.setStatus(caller.memberId, organizationId, accountId, 'active');
  }

  @RpcTwin('AccountService/RemoveAccount')
  @OrgPermission('project/account/del')
  @Delete(':accountId')
  @ApiOperation({
    summary:
      "Remove an account (never the owner's); the member's projects, tasks and assignments stay",
  })
  remove(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
  ) {
    return this.accounts.remove(caller.memberId, organizationId, accountId);
  }
}
