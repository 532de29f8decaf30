import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A system announcement: a title and a text that a deployment administrator sends to every
 * member, each getting a notification of kind `system` that shows them as they are now.
 */
@Entity('announcement')
// A new member gets the recent ones: a range of it, newest first.
@Index(['createdAt'])
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

  /**
   * Set when its deletion starts: from then on nobody lists, reads, edits or newly receives
   * it, while its notifications go batch by batch; the row goes with the last of them.
   */
  @Column({ type: 'datetime', nullable: true })
  deletedAt: Date | null;
}
