import { ConfigService, type ConfigChangeEvent } from '@nestjs/config';
import { map, type Observable } from 'rxjs';
import type { ConfigCenter } from './config-center';
import type { AppConfig, ConfigSection } from './schema';

/**
 * `@nestjs/config`'s ConfigService over the config center: `get('db.master.host')` answers
 * with the currently applied values and `changes$` emits one event per changed section on
 * reload. Writes go through the config center only; `set()` is refused.
 */
export class LiveConfigService extends ConfigService<AppConfig, true> {
  constructor(private readonly center: ConfigCenter) {
    super(
      new Proxy(
        {},
        {
          get: (_target, key) =>
            typeof key === 'string' ? center.config[key as ConfigSection] : undefined,
          has: (_target, key) => typeof key === 'string' && key in center.config,
          ownKeys: () => Object.keys(center.config),
          getOwnPropertyDescriptor: (_target, key) =>
            typeof key === 'string' && key in center.config
              ? { configurable: true, enumerable: true, value: center.config[key as ConfigSection] }
              : undefined,
          set: () => false,
        },
      ),
    );
  }

  override get changes$(): Observable<ConfigChangeEvent> {
    return this.center.changes$.pipe(
      map((change) => ({
        path: change.section,
        oldValue: change.previous,
        newValue: change.current,
      })),
    );
  }
}
