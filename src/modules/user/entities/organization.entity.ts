import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('organization')
export class Organization {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index()
  @Column({ type: 'int' })
  ownerId: number;

  /** The organization every member gets at registration. */
  @Column({ type: 'boolean', default: false })
  personal: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** Where it is, as its members write it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  address: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
