import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('project')
export class Project {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 90 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cover: string | null;

  @Index()
  @Column({ type: 'int' })
  ownerId: number;

  @Column({ type: 'int', nullable: true })
  organizationId: number | null;

  @Column({ type: 'int', nullable: true })
  templateId: number | null;

  @Column({ type: 'varchar', length: 20, default: 'simple' })
  taskBoardTheme: string;

  /** Whether new tasks start private (visible to their members only). */
  @Column({ type: 'boolean', default: false })
  openTaskPrivate: boolean;

  /** Completion, 0 to 100. */
  @Column({ type: 'int', default: 0 })
  schedule: number;

  /** The last task number handed out in this project (tasks are numbered per project). */
  @Column({ type: 'int', default: 0 })
  lastTaskNumber: number;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  @Column({ type: 'datetime', nullable: true })
  archivedAt: Date | null;

  /** In the recycle bin. */
  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  @Column({ type: 'datetime', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
