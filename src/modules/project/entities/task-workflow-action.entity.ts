import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What a workflow does to the task, in `sort` order: `move` it to the end of a stage, `assign`
 * it to a member, mark it `done` or `undone`.
 */
export const WORKFLOW_ACTION_TYPES = ['move', 'assign', 'done', 'undone'] as const;
export type WorkflowActionType = (typeof WORKFLOW_ACTION_TYPES)[number];

/** One action of a task workflow. */
@Entity('task_workflow_action')
@Index(['workflowId', 'sort'])
export class TaskWorkflowAction {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  workflowId: number;

  /** Its place among the workflow's actions, from 0. */
  @Column({ type: 'int' })
  sort: number;

  @Column({ type: 'varchar', length: 20 })
  type: WorkflowActionType;

  /** For `move`: the stage it goes to. */
  @Column({ type: 'int', nullable: true })
  stageId: number | null;

  /** For `assign`: the member it is given to. */
  @Column({ type: 'int', nullable: true })
  memberId: number | null;
}
