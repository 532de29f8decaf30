import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** An organization's invitation to an existing member, answered by that member only. */
@Entity('invitation')
@Index(['inviteeId', 'status'])
@Index(['organizationId', 'inviteeId'])
export class Invitation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  organizationId: number;

  /** The member who invited. */
  @Column({ type: 'int' })
  inviterId: number;

  /** The member invited. */
  @Column({ type: 'int' })
  inviteeId: number;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: InvitationStatus;

  /** A pending invitation past this can no longer be accepted. */
  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'datetime', nullable: true })
  answeredAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
