import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A project a member marked as a favourite. */
@Entity('project_collection')
@Index(['memberId', 'projectId'], { unique: true })
export class ProjectCollection {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  memberId: number;

  @Index()
  @Column({ type: 'int' })
  projectId: number;

  @CreateDateColumn()
  createdAt: Date;
}
