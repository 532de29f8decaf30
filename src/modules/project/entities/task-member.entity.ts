import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A member taking part in a task: its creator, its executor, or a participant. */
@Entity('task_member')
@Index(['taskId', 'memberId'], { unique: true })
export class TaskMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  taskId: number;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'boolean', default: false })
  isExecutor: boolean;

  @Column({ type: 'boolean', default: false })
  isOwner: boolean;

  @CreateDateColumn()
  joinedAt: Date;
}
