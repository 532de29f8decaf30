import type { EntityManager } from 'typeorm';

export type TransactionListener<Subject> = (
  subject: Subject,
  manager: EntityManager,
) => Promise<void>;

/**
 * Listeners that other modules add to a write of this module; each runs, in the order added,
 * inside the write's transaction, so one that throws undoes the whole write.
 */
export class TransactionListeners<Subject> {
  private readonly listeners: TransactionListener<Subject>[] = [];

  on(listener: TransactionListener<Subject>): void {
    this.listeners.push(listener);
  }

  async run(subject: Subject, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(subject, manager);
  }
}
