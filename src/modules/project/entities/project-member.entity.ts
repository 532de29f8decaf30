import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PROJECT_ROLES = ['owner', 'member'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** A member's place in a project: the only way to see or touch it. */
@Entity('project_member')
@Index(['projectId', 'memberId'], { unique: true })
export class ProjectMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 10 })
  role: ProjectRole;

  @CreateDateColumn()
  joinedAt: Date;
}
