import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ROLE_KINDS = ['admin', 'member', 'custom'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

export const ROLE_STATUSES = ['active', 'disabled'] as const;
export type RoleStatus = (typeof ROLE_STATUSES)[number];

/** A named set of permission nodes in one organization; accounts hold one role each. */
@Entity('org_role')
@Index(['organizationId', 'name'], { unique: true })
export class Role {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  organizationId: number;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** admin and member are seeded with every organization; custom ones are created. */
  @Column({ type: 'varchar', length: 10 })
  kind: RoleKind;

  /** The role new accounts get; exactly one per organization. */
  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  /** A disabled role grants none of its nodes to the accounts holding it, until enabled. */
  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: RoleStatus;

  @CreateDateColumn()
  createdAt: Date;
}
