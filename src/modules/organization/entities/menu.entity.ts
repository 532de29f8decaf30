import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of the navigation menu (the original's `ms_project_menu`, ids kept: the original
 * web client names its routes by them). One menu for the whole deployment, seeded by
 * migration; each member sees the entries their role's nodes allow.
 */
@Entity('menu')
export class Menu {
  @PrimaryColumn({ type: 'int' })
  id: number;

  /** The entry it sits under; 0 at the top. */
  @Column({ type: 'int', default: 0 })
  parentId: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  icon: string;

  /** The client route, relative ("project/list"); "#" for a group. */
  @Column({ type: 'varchar', length: 400, default: '' })
  url: string;

  /** The client's view folder; "#" for a group. */
  @Column({ type: 'varchar', length: 200, default: '' })
  filePath: string;

  /** Route parameters (":type", ":code"). */
  @Column({ type: 'varchar', length: 500, default: '' })
  params: string;

  /** The permission node that shows it; "#" for none (a group, or a page anyone may see). */
  @Column({ type: 'varchar', length: 100, default: '#' })
  node: string;

  @Column({ type: 'int', default: 0 })
  sort: number;

  /** 1 in use, 0 disabled (never shown). */
  @Column({ type: 'smallint', default: 1 })
  status: number;

  /** An inner page, reached from another, not listed in the side menu. */
  @Column({ type: 'boolean', default: false })
  isInner: boolean;

  /** The default value of the route parameter ("my" for ":type"). */
  @Column({ type: 'varchar', length: 255, default: '' })
  values: string;

  @Column({ type: 'boolean', default: true })
  showSlider: boolean;
}
