import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { ConfigCenter } from './config-center';
import { CONFIG_REACTION, type ConfigReaction } from './config-reaction';
import type { ConfigSection } from './schema';

/** Finds every provider marked @ReactsToConfig and enters it in the config center's reloads. */
@Injectable()
export class ConfigReactionsExplorer implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly center: ConfigCenter,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      const instance = wrapper.instance as unknown;
      if (!metatype || !instance) continue;
      const sections = this.reflector.get<ConfigSection[] | undefined>(CONFIG_REACTION, metatype);
      if (!sections) continue;
      const reaction = instance as ConfigReaction;
      this.center.addParticipant({
        name: reaction.reactionName ?? metatype.name,
        sections,
        prepare: async (next, previous) => reaction.prepare(next, previous),
      });
    }
  }
}
