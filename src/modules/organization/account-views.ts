import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import type { Paging } from '@/modules/project/dto/project.schemas';
import { memberIdsOf, pageOf, type Page } from '@/modules/project/dto/project.views';
import { UserDirectory } from '@/modules/user/user-directory';
import { AccountRepository, type AccountFilter } from './account.repository';
import { accountView, type AccountView } from './dto/account.views';

/** Accounts as clients see them: with member summaries, one directory batch per answer. */
@Injectable()
export class AccountViews {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly directory: UserDirectory,
  ) {}

  async one(organizationId: number, accountId: number): Promise<AccountView> {
    const row = await this.accounts.find(organizationId, accountId);
    if (!row) throw Problem.notFound('account not found');
    return accountView(row, await this.directory.summaries([row.memberId]));
  }

  async page(
    organizationId: number,
    filter: AccountFilter,
    paging: Paging,
  ): Promise<Page<AccountView>> {
    const { rows, total } = await this.accounts.list(organizationId, filter, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return pageOf(
      rows.map((row) => accountView(row, members)),
      total,
      paging,
    );
  }
}
