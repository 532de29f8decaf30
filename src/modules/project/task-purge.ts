import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Work another module does when tasks are deleted for good, inside the deleting transaction. */
export type TaskPurgeListener = (taskIds: number[], manager: EntityManager) => Promise<void>;

/**
 * The one place where modules that keep things per task (attachments) learn that tasks are
 * gone: the project module calls `purged` in the transaction that deletes them, so a failing
 * listener rolls the deletion back and nothing is left pointing at a deleted task.
 */
@Injectable()
export class TaskPurge {
  private readonly listeners: TaskPurgeListener[] = [];

  onPurge(listener: TaskPurgeListener): void {
    this.listeners.push(listener);
  }

  async purged(taskIds: number[], manager: EntityManager): Promise<void> {
    if (taskIds.length === 0) return;
    for (const listener of this.listeners) await listener(taskIds, manager);
  }
}
