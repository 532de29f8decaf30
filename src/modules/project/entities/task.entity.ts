import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('task')
// A strict order within a stage, enforced by the database and not only by the code.
@Index(['stageId', 'sort'], { unique: true })
@Index(['projectId', 'number'], { unique: true })
// A project's recycle bin, newest recycled first.
@Index(['projectId', 'deleted', 'deletedAt'])
// "My tasks": a member's assigned or created tasks out of the bin, newest first, with what
// their count needs (done, project), so that the count reads the index alone.
@Index('IDX_task_assignee_state', ['assigneeId', 'deleted', 'id', 'done', 'projectId'])
@Index('IDX_task_creator_state', ['createdBy', 'deleted', 'id', 'done', 'projectId'])
export class Task {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'int' })
  stageId: number;

  /** Sequential within the project, for humans ("#12"). */
  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** 0 normal, 1 urgent, 2 very urgent. */
  @Column({ type: 'int', default: 0 })
  priority: number;

  /**
   * Its place in the stage. A recycled task leaves the order: its place is parked on `-id`
   * (no live task is ever negative, no two ids are equal) and kept in `recycledSort`.
   */
  @Column({ type: 'int' })
  sort: number;

  @Column({ type: 'int' })
  createdBy: number;

  @Column({ type: 'int', nullable: true })
  assigneeId: number | null;

  @Column({ type: 'boolean', default: false })
  done: boolean;

  @Column({ type: 'datetime', nullable: true })
  doneAt: Date | null;

  @Column({ type: 'int', nullable: true })
  doneBy: number | null;

  @Column({ type: 'boolean', default: false })
  private: boolean;

  @Column({ type: 'datetime', nullable: true })
  beginAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  endAt: Date | null;

  /** In the recycle bin: off the board and every list, readable through the bin only. */
  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  /** To the millisecond: the bin lists the newest recycled first. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  deletedAt: Date | null;

  /** Its place in the stage when it was recycled: a restore puts it back there if still free. */
  @Column({ type: 'int', nullable: true })
  recycledSort: number | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
