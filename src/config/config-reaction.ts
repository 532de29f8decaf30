import { SetMetadata } from '@nestjs/common';
import type { PreparedChange } from './config-center';
import type { AppConfig, ConfigSection } from './schema';

export const CONFIG_REACTION = 'msproject:config-reaction';

/**
 * The one way a provider reacts to a config change. Mark the class with
 * `@ReactsToConfig(...sections)` and implement `prepare`: build (and probe) whatever the new
 * values need, and hand back the change without making any of it visible yet. A prepare that
 * throws rejects the whole reload (every prepared change is released); otherwise every
 * `commit` runs at once, synchronously, at the switch, and `retire` afterwards.
 */
export interface ConfigReaction {
  /** How a rejected reload names this reaction's failure (the class name by default). */
  readonly reactionName?: string;
  prepare(
    next: AppConfig,
    previous: AppConfig,
  ): Promise<PreparedChange | undefined> | PreparedChange | undefined;
}

export const ReactsToConfig = (...sections: ConfigSection[]): ClassDecorator =>
  SetMetadata(CONFIG_REACTION, sections);
