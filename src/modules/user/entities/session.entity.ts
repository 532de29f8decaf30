import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One login: the family of refresh tokens rotated from it. Only the newest token of a family
 * is valid; presenting an older one revokes the family (it was stolen or replayed).
 */
@Entity('member_session')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  /** Id (`jti`) of the only refresh token of this family that may be used next. */
  @Column({ type: 'varchar', length: 36 })
  currentTokenId: string;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'datetime', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
