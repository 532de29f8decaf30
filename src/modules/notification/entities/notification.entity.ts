import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_KINDS = [
  'taskAssigned',
  'mentioned',
  'addedToProject',
  'invited',
  // A system announcement of the deployment's administrators (see Announcement).
  'system',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Something a member should know about, kept until read (stored, not pushed). */
@Entity('notification')
@Index(['memberId', 'id'])
@Index(['memberId', 'readAt', 'kind'])
// An announcement's edit rewrites its recipients' rows.
@Index(['announcementId'])
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  /** Who it is for. */
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 20 })
  kind: NotificationKind;

  /** Who caused it. */
  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Column({ type: 'int', nullable: true })
  organizationId: number | null;

  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'int', nullable: true })
  taskId: number | null;

  @Column({ type: 'int', nullable: true })
  invitationId: number | null;

  /** For a system announcement: its title and text are the announcement's (edited there). */
  @Column({ type: 'int', nullable: true })
  announcementId: number | null;

  @Column({ type: 'varchar', length: 500 })
  content: string;

  @Column({ type: 'datetime', nullable: true })
  readAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
