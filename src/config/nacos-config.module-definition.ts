import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ConfigCenterOptions } from './config-center';
import type { ConfigCenter } from './config-center';

export interface NacosConfigModuleOptions extends ConfigCenterOptions {
  /** A config center already started (main.ts starts it to size the HTTP adapter). */
  center?: ConfigCenter;
}

export const {
  ConfigurableModuleClass: NacosConfigModuleBase,
  MODULE_OPTIONS_TOKEN: NACOS_CONFIG_OPTIONS,
} = new ConfigurableModuleBuilder<NacosConfigModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
