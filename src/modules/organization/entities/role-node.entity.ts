import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One permission node granted to a role. */
@Entity('org_role_node')
@Index(['roleId', 'node'], { unique: true })
export class RoleNode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  roleId: number;

  @Column({ type: 'varchar', length: 100 })
  node: string;
}
