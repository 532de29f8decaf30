import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type ObjectLiteral } from 'typeorm';
import { Organization } from '@/modules/user/entities';

const DEADLOCK_RETRIES = 5;

function isDeadlock(error: unknown): boolean {
  const { driverError } = error as { driverError?: { code?: string; errno?: number } };
  return driverError?.code === 'ER_LOCK_DEADLOCK' || driverError?.errno === 1213;
}

/**
 * Transactions of an organization's structure. The organization's row lock guards its
 * department tree and which department each account is in: creating, moving and deleting
 * departments, and putting accounts into them, all hold it, so that no move makes a cycle and
 * no department is deleted while someone is being put into it.
 */
@Injectable()
export class OrganizationLocks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get sqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * READ COMMITTED, so that a read made after taking a lock sees what the previous holder
   * committed; retried when picked as a deadlock victim. SQLite serializes writers.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.sqlite
          ? await this.dataSource.transaction(work)
          : await this.dataSource.transaction('READ COMMITTED', work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  }

  /** `work` in a transaction that holds the organization's lock; the organization is handed over. */
  withOrganization<T>(
    organizationId: number,
    work: (manager: EntityManager, organization: Organization) => Promise<T>,
  ): Promise<T> {
    return this.transaction(async (manager) => {
      const organization = await this.lock(manager, Organization, organizationId);
      // The caller's account was checked moments ago; an organization cannot be deleted.
      if (!organization) throw new Error(`organization ${organizationId} vanished`);
      return work(manager, organization);
    });
  }

  /** Locks a row until the transaction ends. */
  lock<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: new () => T,
    id: number,
  ): Promise<T | null> {
    const query = manager.createQueryBuilder(entity, 'row').where('row.id = :id', { id });
    if (!this.sqlite) query.setLock('pessimistic_write');
    return query.getOne();
  }
}
