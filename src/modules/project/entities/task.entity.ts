import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { hoursColumn } from './hours-column';

@Entity('task')
// A strict order within a stage, enforced by the database and not only by the code.
@Index(['stageId', 'sort'], { unique: true })
@Index(['projectId', 'number'], { unique: true })
// A project's recycle bin, newest recycled first.
@Index(['projectId', 'deleted', 'deletedAt'])
// "My tasks": a member's assigned or created tasks out of the bin, newest first, all of them
// or the done or undone ones only, with the project their membership is checked against.
@Index('IDX_task_assignee_state', ['assigneeId', 'deleted', 'id', 'done', 'projectId'])
@Index('IDX_task_creator_state', ['createdBy', 'deleted', 'id', 'done', 'projectId'])
@Index('IDX_task_assignee_done', ['assigneeId', 'deleted', 'done', 'id', 'projectId'])
@Index('IDX_task_creator_done', ['createdBy', 'deleted', 'done', 'id', 'projectId'])
// A task's children, and how many of them are (un)done.
@Index(['parentId', 'deleted', 'done'])
// A version's tasks, and how many of them are done.
@Index(['versionId', 'deleted', 'done'])
export class Task {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  /** A child task's stage is its parent's (it follows the parent's moves); it is not on the board. */
  @Column({ type: 'int' })
  stageId: number;

  /** The task it is a child of, in the same project; null for a task on the board. */
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  /**
   * Its ancestors' ids, root first, between slashes: `/` on the board, `/12/` for a child of
   * task 12, `/12/40/` below that. A task's whole subtree is one prefix: `/12/%`.
   */
  @Index()
  @Column({ type: 'varchar', length: 100, default: '/' })
  path: string;

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
   * (no task on the board is ever negative, no two ids are equal) and kept in `recycledSort`.
   * A child task has no place on the board: it is parked on `-id` for good.
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

  /** Execution state, apart from done: 0 not started, 1 finished, 2 in progress, 3 suspended, 4 testing. */
  @Column({ type: 'smallint', default: 0 })
  status: number;

  /** Estimated hours: more than 0, at most 9999.99, two decimals; null when not estimated. */
  @Column({
    type: 'decimal',
    precision: 6,
    scale: 2,
    nullable: true,
    transformer: hoursColumn,
  })
  estimatedHours: number | null;

  /** The version it is released in (at most one); null when in none. */
  @Column({ type: 'int', nullable: true })
  versionId: number | null;

  /** How many members like it (task_like rows). */
  @Column({ type: 'int', default: 0 })
  likeCount: number;

  /** How many members starred it (task_collection rows). */
  @Column({ type: 'int', default: 0 })
  starCount: number;

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

  /**
   * The task whose recycling took this one (its descendant) into the bin; a restore of that
   * task brings it back. Null when recycled on its own.
   */
  @Column({ type: 'int', nullable: true })
  recycledWithId: number | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
