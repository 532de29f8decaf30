import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A link into one organization, or one of its projects: a logged-in member who opens it joins. Only the hash of its
 * secret code is kept; the code itself is shown once, to whoever created the link.
 */
@Entity('invite_link')
@Index(['organizationId', 'id'])
export class InviteLink {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  organizationId: number;

  /**
   * Set for a link into one of the organization's projects: who opens it joins the
   * organization and that project.
   */
  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  /** The member who created it (with the organization's invite permission). */
  @Column({ type: 'int' })
  creatorId: number;

  /** SHA-256 of the code, hex. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  /** Set when it was revoked: it opens nothing from then on. */
  @Column({ type: 'datetime', nullable: true })
  revokedAt: Date | null;

  /** How many members joined through it. */
  @Column({ type: 'int', default: 0 })
  joins: number;

  @CreateDateColumn()
  createdAt: Date;
}
