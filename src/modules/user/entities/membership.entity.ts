import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANIZATION_ROLES = ['owner', 'admin', 'member'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

export const ACCOUNT_STATUSES = ['active', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * A member's place in an organization: their account there, with the role whose permission
 * nodes they hold, their department and position, and whether it is enabled.
 */
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

  /** owner for the organization's owner (who always passes), else admin or member. */
  @Column({ type: 'varchar', length: 10 })
  role: OrganizationRole;

  /** The organization role (org_role) whose permission nodes this account holds. */
  @Column({ type: 'int', nullable: true })
  roleId: number | null;

  @Column({ type: 'int', nullable: true })
  departmentId: number | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  position: string | null;

  /** A disabled account keeps its row but reaches none of the organization's resources. */
  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: AccountStatus;

  @CreateDateColumn()
  createdAt: Date;
}
