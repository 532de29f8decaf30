import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A task a member starred: their collection of tasks, as a project collection is of projects
 * (the task's starCount counts these).
 */
@Entity('task_collection')
export class TaskCollection {
  @PrimaryColumn({ type: 'int' })
  taskId: number;

  @Index()
  @PrimaryColumn({ type: 'int' })
  memberId: number;

  @CreateDateColumn()
  createdAt: Date;
}
