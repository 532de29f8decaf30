import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What a module does when an organization is deleted: refuse (throw; nothing is deleted) or
 * delete what it keeps for the organization, inside the deleting transaction.
 */
export type DissolutionListener = (organizationId: number, manager: EntityManager) => Promise<void>;

/**
 * The one place where modules that keep things per organization (its roles, departments,
 * project templates) take part in deleting it: every listener runs in the transaction that
 * then deletes the accounts and the organization, so a refusal leaves all of it in place.
 */
@Injectable()
export class OrganizationDissolution {
  private readonly listeners: DissolutionListener[] = [];

  onDissolving(listener: DissolutionListener): void {
    this.listeners.push(listener);
  }

  async dissolving(organizationId: number, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(organizationId, manager);
  }
}
