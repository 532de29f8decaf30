import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** 0 not started, 1 in progress, 2 delayed, 3 released. */
export const VERSION_STATUSES = ['notStarted', 'inProgress', 'delayed', 'released'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** A version of a feature: the tasks released together. */
@Entity('project_version')
// Names are unique within a feature.
@Index(['featureId', 'name'], { unique: true })
export class ProjectVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  featureId: number;

  /** The feature's project, kept here so that membership is checked without a join. */
  @Index()
  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 90 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** An index into VERSION_STATUSES. */
  @Column({ type: 'smallint', default: 0 })
  status: number;

  @Column({ type: 'datetime', nullable: true })
  startAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  plannedPublishAt: Date | null;

  /** When it was released; set with the released status, cleared when it leaves it. */
  @Column({ type: 'datetime', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'int' })
  createdBy: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
