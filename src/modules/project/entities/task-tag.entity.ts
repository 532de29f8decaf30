import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The colours the web client's tag menu offers; any `#rgb` or `#rrggbb` colour is taken too. */
export const TAG_PALETTE = ['blue', 'red', 'orange', 'green', 'brown', 'purple'] as const;

/** A project's task tag: a name and a colour that its tasks may carry (TaskTagLink). */
@Entity('task_tag')
// Names are unique within a project (letter case aside: the service compares them lowercased).
@Index(['projectId', 'name'], { unique: true })
export class TaskTag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 30 })
  name: string;

  /** One of TAG_PALETTE, or a hex colour. */
  @Column({ type: 'varchar', length: 20 })
  color: string;

  @Column({ type: 'int' })
  createdBy: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
