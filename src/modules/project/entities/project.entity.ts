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

  /** Completion, 0 to 100, as last set (shown while `autoUpdateSchedule` is off). */
  @Column({ type: 'int', default: 0 })
  schedule: number;

  /** Completion shown from the tasks (done of those not in the recycle bin) instead. */
  @Column({ type: 'boolean', default: false })
  autoUpdateSchedule: boolean;

  /**
   * The original's "private project" setting (off: readable by anyone with the link). Kept
   * and shown; msproject shows a project to its members only either way.
   */
  @Column({ type: 'boolean', default: true })
  private: boolean;

  /** Two to six letters put before task numbers (`EP-12`) where `openPrefix` is on. */
  @Column({ type: 'varchar', length: 6, nullable: true })
  prefix: string | null;

  @Column({ type: 'boolean', default: false })
  openPrefix: boolean;

  /** The original's "tasks have a begin time" setting: kept and shown (begin times are always accepted). */
  @Column({ type: 'boolean', default: false })
  openBeginTime: boolean;

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
