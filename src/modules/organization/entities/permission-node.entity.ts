import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One node of the permission-node catalogue (the original's `ms_project_node`, ids kept),
 * seeded by migration. The deployment's administrators change its titles and flags only: which
 * nodes exist, and what each governs, is the code's catalogue.
 */
@Entity('permission_node')
export class PermissionNode {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  node: string;

  @Column({ type: 'varchar', length: 50 })
  title: string;

  /** The group node it belongs to ("project/auth" for "project/auth/add"); null at the top. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  parent: string | null;

  @Column({ type: 'boolean', default: false })
  isMenu: boolean;

  @Column({ type: 'boolean', default: true })
  isAuth: boolean;

  @Column({ type: 'boolean', default: true })
  isLogin: boolean;

  @Column({ type: 'int', default: 0 })
  sort: number;
}
