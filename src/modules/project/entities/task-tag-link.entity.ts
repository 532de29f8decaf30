import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A task carries a tag of its project. */
@Entity('task_to_tag')
export class TaskTagLink {
  @PrimaryColumn({ type: 'int' })
  taskId: number;

  // A tag's tasks, newest link first.
  @Index()
  @PrimaryColumn({ type: 'int' })
  tagId: number;

  @Column({ type: 'int' })
  createdBy: number;

  @CreateDateColumn()
  createdAt: Date;
}
