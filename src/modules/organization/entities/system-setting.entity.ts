import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One setting of the deployment the web client shows (its site name, copyright line...). */
@Entity('system_setting')
export class SystemSetting {
  /** `siteName`, `appName`, `appVersion`, `siteCopy`, `miitbeian`. */
  @PrimaryColumn({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 500 })
  value: string;
}
