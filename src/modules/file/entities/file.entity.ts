import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** MySQL hands BIGINT back as a string; sizes stay far below 2^53. */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** A file attached to a task (and so to its project). */
@Entity('file')
@Index(['taskId', 'deleted', 'id'])
@Index(['projectId', 'deleted', 'id'])
export class StoredFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'int' })
  taskId: number;

  /** The project's organization when it has one, for organization-wide reports. */
  @Column({ type: 'int', nullable: true })
  organizationId: number | null;

  @Index()
  @Column({ type: 'int' })
  uploaderId: number;

  /** The display name, sanitized; never a storage path. */
  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Lower-case, without the dot; "" when the name has none. */
  @Column({ type: 'varchar', length: 16, default: '' })
  extension: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size: number;

  @Column({ type: 'varchar', length: 100 })
  contentType: string;

  /** The storage backend the bytes were written to, and their key there. */
  @Column({ type: 'varchar', length: 16 })
  backend: string;

  @Column({ type: 'varchar', length: 255 })
  storageKey: string;

  /** The chunked upload it was assembled from: a second assembly of it cannot add a row. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 36, nullable: true })
  uploadId: string | null;

  @Column({ type: 'int', default: 0 })
  downloads: number;

  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  @Column({ type: 'datetime', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
