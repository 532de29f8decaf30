import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ACTIVITY_TYPES = [
  'create',
  'move',
  'assign',
  'done',
  'undone',
  'comment',
  'update',
  'workTime',
  'recycle',
  'restore',
  // A task deleted for good: a project entry (no task), the task's own entries go with it.
  'delete',
  'upload',
  // On a parent task: a child task was added under it.
  'createChild',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A task's history and its comments, in one stream. */
@Entity('project_activity')
@Index(['projectId', 'id'])
@Index(['taskId', 'id'])
// A member's feed counted from the index alone: each project's entries with their tasks.
@Index('IDX_activity_project_task', ['projectId', 'taskId'])
export class Activity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'int', nullable: true })
  taskId: number | null;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 20 })
  type: ActivityType;

  @Column({ type: 'boolean', default: false })
  isComment: boolean;

  @Column({ type: 'varchar', length: 2000 })
  content: string;

  /** The other member an entry is about (an assignee). */
  @Column({ type: 'int', nullable: true })
  toMemberId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
