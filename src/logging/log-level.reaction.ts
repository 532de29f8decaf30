import { Injectable } from '@nestjs/common';
import { ConfigCenter, type PreparedChange } from '../config/config-center';
import { ReactsToConfig, type ConfigReaction } from '../config/config-reaction';
import type { AppConfig } from '../config/schema';

/** The log level follows `log.level` from the switch on (the format is bound at start). */
@Injectable()
@ReactsToConfig('log')
export class LogLevelReaction implements ConfigReaction {
  constructor(private readonly center: ConfigCenter) {}

  prepare(next: AppConfig): PreparedChange {
    return {
      commit: () => {
        this.center.logger.level = next.log.level;
      },
    };
  }
}
