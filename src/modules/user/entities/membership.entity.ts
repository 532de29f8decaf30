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
@Index(['organizationId', 'email'], { unique: true })
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

  /**
   * The account's own contact card in this organization, set by its administrators (the
   * original's member account): a display name (the member's own name when null), a work
   * email (unique in the organization), a work mobile and a description. The member's login
   * name, email and mobile are theirs alone and never change through here.
   */
  @Column({ type: 'varchar', length: 50, nullable: true })
  displayName: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  mobile: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** A disabled account keeps its row but reaches none of the organization's resources. */
  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: AccountStatus;

  @CreateDateColumn()
  createdAt: Date;
}
