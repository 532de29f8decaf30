import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANIZATION_ROLES = ['owner', 'admin', 'member'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/** A member's place in an organization. */
@Entity('membership')
@Index(['organizationId', 'memberId'], { unique: true })
export class Membership {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  organizationId: number;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 10 })
  role: OrganizationRole;

  @CreateDateColumn()
  createdAt: Date;
}
