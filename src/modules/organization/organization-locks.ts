import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Problem } from '@/common/problem';
import { RowLocks } from '@/infra/database/row-locks';
import { Organization } from '@/modules/user/entities';

/**
 * Transactions of an organization's structure. The organization's row lock guards its
 * department tree and which department each account is in: creating, moving and deleting
 * departments, and putting accounts into them, all hold it, so that no move makes a cycle and
 * no department is deleted while someone is being put into it.
 */
@Injectable()
export class OrganizationLocks extends RowLocks {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** `work` in a transaction that holds the organization's lock; the organization is handed over. */
  withOrganization<T>(
    organizationId: number,
    work: (manager: EntityManager, organization: Organization) => Promise<T>,
  ): Promise<T> {
    return this.transaction(async (manager) => {
      const organization = await this.lock(manager, Organization, organizationId);
      // Deleted since the caller's account was checked.
      if (!organization) throw Problem.notFound('organization not found');
      return work(manager, organization);
    });
  }
}
