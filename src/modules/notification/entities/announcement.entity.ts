import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A system announcement: a title and a text that a deployment administrator sends to every
 * member, each getting a notification of kind `system` that shows them as they are now.
 */
@Entity('announcement')
export class Announcement {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'text' })
  content: string;

  /** The administrator who sent it. */
  @Column({ type: 'int' })
  createdBy: number;

  /** How many members it was sent to. */
  @Column({ type: 'int', default: 0 })
  recipients: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
