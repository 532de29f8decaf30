import { Controller } from '@nestjs/common';
import { OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  AccountServiceControllerMethods,
  type AccountServiceController,
} from '@/generated/organization/v1/organization';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { AccountService } from '../account.service';
import {
  listAccountsQuery,
  updateAccountRequest,
  type ListAccountsQuery,
  type UpdateAccountRequest,
} from '../dto/account.schemas';

/** msproject.organization.v1.AccountService: the same rules, and schemas, as the REST API. */
@Controller()
@AccountServiceControllerMethods()
export class AccountsGrpcController implements GrpcService<AccountServiceController> {
  constructor(private readonly accounts: AccountService) {}

  @OrgPermission('project/account/index')
  async listAccounts(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(listAccountsQuery, { omit: ['organizationId'] }) query: ListAccountsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.accounts.list(caller.memberId, organizationId, query));
  }

  @OrgPermission('project/account/read')
  async getAccount(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.accounts.get(caller.memberId, organizationId, accountId));
  }

  @OrgPermission('project/account/edit')
  async updateAccount(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @ValidPayload(updateAccountRequest, {
      omit: ['organizationId', 'accountId'],
      emptyMeansNull: ['departmentId', 'position', 'name', 'email', 'mobile', 'description'],
    })
    request: UpdateAccountRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.accounts.update(caller.memberId, organizationId, accountId, request),
    );
  }

  @OrgPermission('project/account/forbid')
  async disableAccount(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.accounts.setStatus(caller.memberId, organizationId, accountId, 'disabled'),
    );
  }

  @OrgPermission('project/account/edit')
  async syncAccountFromMember(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.accounts.syncFromMember(caller.memberId, organizationId, accountId),
    );
  }

  @OrgPermission('project/account/resume')
  async enableAccount(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(
      await this.accounts.setStatus(caller.memberId, organizationId, accountId, 'active'),
    );
  }

  @OrgPermission('project/account/del')
  async removeAccount(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.accounts.remove(caller.memberId, organizationId, accountId));
  }
}
