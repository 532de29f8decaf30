import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A starting board: system templates are seeded, custom ones belong to an organization. */
@Entity('project_template')
export class ProjectTemplate {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 90 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cover: string | null;

  @Column({ type: 'int', default: 0 })
  sort: number;

  @Column({ type: 'boolean', default: false })
  isSystem: boolean;

  @Index()
  @Column({ type: 'int', nullable: true })
  memberId: number | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  organizationId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
