import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A node of an organization's department tree. */
@Entity('department')
@Index(['organizationId', 'parentId'])
export class Department {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  organizationId: number;

  /** The department it sits under; null at the top of the tree. */
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'int', default: 0 })
  sort: number;

  /** Ancestor ids from the root, each followed by '/' ("3/8/"): subtree checks without recursion. */
  @Column({ type: 'varchar', length: 500, default: '' })
  path: string;

  @CreateDateColumn()
  createdAt: Date;
}
