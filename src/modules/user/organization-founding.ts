import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface FoundedOrganization {
  id: number;
  ownerId: number;
}

/** What a listener adds to a new organization's owner account. */
export interface FoundingContribution {
  /** The organization role the owner's account holds. */
  ownerRoleId?: number;
}

export type FoundingListener = (
  organization: FoundedOrganization,
  manager: EntityManager,
) => Promise<FoundingContribution | void>;

/**
 * The one place where modules that keep things per organization (its roles) set a new
 * organization up: every path that creates an organization calls `founded` inside its
 * transaction, before the owner's account exists, so a failing listener creates nothing.
 */
@Injectable()
export class OrganizationFounding {
  private readonly listeners: FoundingListener[] = [];

  onFounded(listener: FoundingListener): void {
    this.listeners.push(listener);
  }

  async founded(
    organization: FoundedOrganization,
    manager: EntityManager,
  ): Promise<FoundingContribution> {
    const contribution: FoundingContribution = {};
    for (const listener of this.listeners) {
      Object.assign(contribution, await listener(organization, manager));
    }
    return contribution;
  }
}
