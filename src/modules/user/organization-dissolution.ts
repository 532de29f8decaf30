import { Injectable } from '@nestjs/common';
import { TransactionListeners } from './transaction-listeners';

/**
 * The one place where modules that keep things per organization (its roles, departments,
 * project templates) take part in deleting it: every listener, given the organization's id,
 * runs in the transaction that then deletes the accounts and the organization, and either
 * refuses (throws; nothing is deleted) or deletes what it keeps for the organization.
 */
@Injectable()
export class OrganizationDissolution extends TransactionListeners<number> {}
