import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { ConfigCenter } from './config-center';
import { ConfigReactionsExplorer } from './config-reactions.explorer';
import { LiveConfigService } from './live-config.service';
import {
  NACOS_CONFIG_OPTIONS,
  NacosConfigModuleBase,
  type NacosConfigModuleOptions,
} from './nacos-config.module-definition';

/**
 * The typed application config through DI, hot-reloaded from Nacos (or the snapshot, or
 * config/config.yaml). Read it through `ConfigService` (or `ConfigCenter`); react to changes
 * with @ReactsToConfig (config-reaction.ts), the one mechanism.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    ConfigReactionsExplorer,
    {
      provide: ConfigCenter,
      inject: [NACOS_CONFIG_OPTIONS],
      useFactory: (options: NacosConfigModuleOptions) =>
        options.center ?? ConfigCenter.start(options),
    },
    {
      provide: ConfigService,
      inject: [ConfigCenter],
      useFactory: (center: ConfigCenter) => new LiveConfigService(center),
    },
  ],
  exports: [ConfigCenter, ConfigService],
})
export class NacosConfigModule
  extends NacosConfigModuleBase
  implements BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(@Inject(ConfigCenter) private readonly center: ConfigCenter) {
    super();
  }

  /** No reload may start (or build connections) once shutdown has begun. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.center.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.center.close();
  }
}
