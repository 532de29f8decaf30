import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { hoursColumn } from './hours-column';

/** Time a member spent on a task. */
@Entity('task_work_time')
// A task's entries, newest start first.
@Index(['taskId', 'beginAt'])
@Index(['projectId', 'beginAt'])
export class WorkTime {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  taskId: number;

  /** The task's project, kept here so that time is summed per project without a join. */
  @Column({ type: 'int' })
  projectId: number;

  /** Who spent it (and wrote the entry). */
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'datetime' })
  beginAt: Date;

  /** More than 0, at most 24, two decimals. */
  @Column({ type: 'decimal', precision: 4, scale: 2, transformer: hoursColumn })
  hours: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
