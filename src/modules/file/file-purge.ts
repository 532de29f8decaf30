import { Injectable, type OnModuleInit } from '@nestjs/common';
import type {
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { ConfigCenter } from '@/config/config-center';
import { Storage } from '@/infra/storage/storage.service';
import { TaskPurge } from '@/modules/project/task-purge';
import type { StoredFile } from './entities';
import { FileRepository } from './file.repository';

/**
 * Tasks deleted for good take their files along: the rows go in the deleting transaction,
 * the stored bytes once that transaction has committed (a rolled-back deletion keeps both).
 * Bytes whose deletion fails, or is cut short by a crash, are left behind as unreferenced
 * objects: nothing points at them, and no file can come back without its row.
 */
@Injectable()
export class FilePurge implements OnModuleInit {
  /** Objects to delete once a transaction commits, by the transaction's query runner. */
  private readonly pending = new WeakMap<QueryRunner, StoredFile[]>();

  /** Told of every commit and rollback of each DataSource it joins. */
  private readonly subscriber: EntitySubscriberInterface = {
    afterTransactionCommit: (event: TransactionCommitEvent) => {
      // A savepoint's release commits nothing yet.
      if (event.queryRunner.isTransactionActive) return;
      const files = this.pending.get(event.queryRunner);
      if (!files) return;
      this.pending.delete(event.queryRunner);
      void this.removeObjects(files);
    },
    afterTransactionRollback: (event: TransactionRollbackEvent) => {
      if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
    },
  };

  constructor(
    private readonly taskPurge: TaskPurge,
    private readonly files: FileRepository,
    private readonly storage: Storage,
    private readonly center: ConfigCenter,
  ) {}

  onModuleInit(): void {
    this.taskPurge.onPurge((taskIds, manager) => this.purge(taskIds, manager));
  }

  async purge(taskIds: number[], manager: EntityManager): Promise<void> {
    const removed = await this.files.removeOfTasks(taskIds, manager);
    if (removed.length === 0) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      await this.removeObjects(removed);
      return;
    }
    // Each DataSource generation learns of the subscriber the first time it purges.
    const subscribers = manager.connection.subscribers;
    if (!subscribers.includes(this.subscriber)) subscribers.push(this.subscriber);
    this.pending.set(runner, [...(this.pending.get(runner) ?? []), ...removed]);
  }

  /** The stored bytes of files whose rows are gone; a failure leaves them unreferenced. */
  async removeObjects(files: StoredFile[]): Promise<void> {
    const byBackend = new Map<string, string[]>();
    for (const file of files) {
      byBackend.set(file.backend, [...(byBackend.get(file.backend) ?? []), file.storageKey]);
    }
    for (const [backend, keys] of byBackend) {
      try {
        await this.storage.backend(backend).delete(keys);
      } catch (error) {
        this.center.logger.warn(
          { err: (error as Error).message, backend, objects: keys.length },
          'deleting the files of purged tasks failed; their objects are left behind',
        );
      }
    }
  }
}
