import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A member taking part in a task: its creator, its executor, or a participant. */
@Entity('task_member')
@Index(['taskId', 'memberId'], { unique: true })
// A member's tasks newest first ("my tasks", participating).
@Index('IDX_task_member_member_task', ['memberId', 'taskId'])
export class TaskMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  taskId: number;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'boolean', default: false })
  isExecutor: boolean;

  @Column({ type: 'boolean', default: false })
  isOwner: boolean;

  @CreateDateColumn()
  joinedAt: Date;
}
