import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * What sets a workflow off, on a board task (never a child task) in its trigger stage:
 * `enter` when the task is created in it or moved into it, `done` and `undone` when it is
 * marked done or reopened there, `assigned` when it is given to the workflow's trigger member.
 */
export const WORKFLOW_EVENTS = ['enter', 'done', 'undone', 'assigned'] as const;
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number];

/**
 * A project's task workflow: when a task of its trigger stage meets its event, its actions
 * (TaskWorkflowAction) are applied to the task in the same transaction.
 */
@Entity('task_workflow')
@Index(['projectId', 'id'])
// The workflows a task event may set off: those of the task's stage and that event.
@Index(['stageId', 'event'])
export class TaskWorkflow {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The trigger stage. */
  @Column({ type: 'int' })
  stageId: number;

  @Column({ type: 'varchar', length: 20 })
  event: WorkflowEvent;

  /** For `assigned`: the member the task must be given to; null otherwise. */
  @Column({ type: 'int', nullable: true })
  memberId: number | null;

  @Column({ type: 'int' })
  createdBy: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
