import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const VERSION_LOG_TYPES = [
  'created',
  'renamed',
  'describedAs',
  'descriptionCleared',
  'startSet',
  'startCleared',
  'plannedPublishSet',
  'plannedPublishCleared',
  'statusChanged',
  'released',
  'tasksAdded',
  'taskRemoved',
] as const;
export type VersionLogType = (typeof VERSION_LOG_TYPES)[number];

/** What happened to a version, by whom: its history, oldest first. */
@Entity('project_version_log')
@Index(['versionId', 'id'])
export class VersionLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  versionId: number;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 30 })
  type: VersionLogType;

  /**
   * What it was changed to, by type: the name, the description, the time (ISO), the status,
   * the names of the tasks added or removed (one per line); null when nothing is to be said.
   */
  @Column({ type: 'text', nullable: true })
  content: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
