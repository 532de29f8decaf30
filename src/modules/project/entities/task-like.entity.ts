import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A member likes a task (the task's likeCount counts these). */
@Entity('task_like')
export class TaskLike {
  @PrimaryColumn({ type: 'int' })
  taskId: number;

  @Index()
  @PrimaryColumn({ type: 'int' })
  memberId: number;

  @CreateDateColumn()
  createdAt: Date;
}
