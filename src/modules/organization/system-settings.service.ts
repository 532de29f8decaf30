import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TracedService } from '@/telemetry/traced-service';
import { serviceVersion } from '@/telemetry/telemetry';
import { PlatformAdministrators } from '@/modules/user/platform-administrators';
import type { UpdateSystemSettingsRequest } from './dto/access.schemas';
import { SystemSetting } from './entities';

export interface SystemSettingsView {
  appName: string;
  appVersion: string;
  siteName: string;
  /** The copyright line. */
  siteCopy: string;
  /** The site's ICP filing number (备案号), shown in the footer. */
  miitbeian: string;
}

type SettingName = keyof SystemSettingsView;

const DEFAULTS: Record<SettingName, () => string> = {
  appName: () => 'msproject',
  appVersion: serviceVersion,
  siteName: () => 'msproject',
  siteCopy: () => '',
  miitbeian: () => '',
};

const NAMES = Object.keys(DEFAULTS) as SettingName[];

/**
 * The deployment's own settings that the web client shows (site name, version, copyright,
 * filing number), stored in `system_setting` and read from it on every call: a change made
 * on any instance shows everywhere from the next read on. A setting never saved is its
 * default. Anyone logged in reads them; the deployment's administrators change them.
 */
@TracedService()
@Injectable()
export class SystemSettingsService {
  constructor(
    @InjectRepository(SystemSetting) private readonly settings: Repository<SystemSetting>,
    private readonly administrators: PlatformAdministrators,
  ) {}

  async get(): Promise<SystemSettingsView> {
    const stored = new Map((await this.settings.find()).map((row) => [row.name, row.value]));
    return Object.fromEntries(
      NAMES.map((name) => [name, stored.get(name) ?? DEFAULTS[name]()]),
    ) as unknown as SystemSettingsView;
  }

  /** Saves the settings sent (the deployment's administrators only); "" empties one. */
  async update(
    memberId: number,
    changes: UpdateSystemSettingsRequest,
  ): Promise<SystemSettingsView> {
    await this.administrators.require(memberId);
    const rows = NAMES.filter((name) => changes[name] !== undefined).map((name) => ({
      name,
      value: changes[name] as string,
    }));
    if (rows.length) await this.settings.upsert(rows, ['name']);
    return this.get();
  }
}
