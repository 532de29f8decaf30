import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The image a member uploaded as their avatar: one per member, its bytes in storage. */
@Entity('member_avatar')
export class MemberAvatar {
  @PrimaryColumn({ type: 'int' })
  memberId: number;

  /** image/png, image/jpeg, image/gif or image/webp, as its leading bytes say. */
  @Column({ type: 'varchar', length: 20 })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  /** The storage backend the bytes were written to, and their key there. */
  @Column({ type: 'varchar', length: 16 })
  backend: string;

  @Column({ type: 'varchar', length: 255 })
  storageKey: string;

  @UpdateDateColumn()
  updatedAt: Date;
}
