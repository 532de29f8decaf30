import { Injectable } from '@nestjs/common';
import { TransactionListeners } from './transaction-listeners';

export interface RegisteredMember {
  id: number;
}

/**
 * The one place where modules that keep things per member set a new member up: registration
 * runs its listeners inside its transaction, once the member and their personal organization
 * exist, so a failing listener registers nobody.
 */
@Injectable()
export class MemberRegistration extends TransactionListeners<RegisteredMember> {}
