import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PROJECT_ROLES = ['owner', 'member'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Which of a member's project lists a project is on: by its archived and recycled flags. */
export const PROJECT_STATES = ['active', 'archived', 'recycled'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

export function projectState(project: { archived: boolean; deleted: boolean }): ProjectState {
  if (project.deleted) return 'recycled';
  return project.archived ? 'archived' : 'active';
}

/** A member's place in a project: the only way to see or touch it. */
@Entity('project_member')
@Index(['projectId', 'memberId'], { unique: true })
// A member's projects of one state, newest first: a page and nothing more is read.
@Index(['memberId', 'projectState', 'projectId'])
export class ProjectMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 10 })
  role: ProjectRole;

  /**
   * The project's state (projectState of its flags), kept beside each membership in the
   * transaction that changes the flags, so that a member's list reads one index range.
   */
  @Column({ type: 'varchar', length: 10, default: 'active' })
  projectState: ProjectState;

  @CreateDateColumn()
  joinedAt: Date;
}
