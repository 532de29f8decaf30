import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type Provider,
} from '@nestjs/common';
import { getDataSourceToken, getEntityManagerToken, getRepositoryToken } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository, type ObjectLiteral } from 'typeorm';
import { ConfigCenter } from '@/config/config-center';
import { ReactsToConfig } from '@/config/config-reaction';
import type { AppConfig } from '@/config/schema';
import { forwardingProxy } from '../generations/forwarding-proxy';
import { GenerationReloader } from '../generations/generation-reloader';
import { RequestScope } from '../generations/request-scope';
import { Swappable } from '../generations/swappable';
import { openDataSource } from './data-source.factory';
import { DATABASE_GENERATIONS, type DatabaseGenerations } from './database.tokens';
import { registerEntities, registeredEntities } from './entity-registry';

function label(db: AppConfig['db']): string {
  if (db.type === 'sqlite') return 'sqlite';
  const master = db.master!;
  return `${master.host}:${master.port}/${master.db}${db.separation ? ` +${db.slaves.length} replicas` : ''}`;
}

/** Rebuilds the DataSource when the `db` section changes; see ConfigCenter's reload contract. */
@Injectable()
@ReactsToConfig('db')
export class DatabaseReloader extends GenerationReloader<DataSource> {
  constructor(
    center: ConfigCenter,
    scope: RequestScope,
    @Inject(DATABASE_GENERATIONS) generations: DatabaseGenerations,
  ) {
    super('database', center, scope, generations);
  }

  protected open(config: AppConfig): Promise<DataSource> {
    return openDataSource(config.db, registeredEntities(), this.scope);
  }

  protected close(dataSource: DataSource): Promise<void> {
    return dataSource.destroy();
  }

  protected label(config: AppConfig): string {
    return label(config.db);
  }

  protected drainTimeoutMs(config: AppConfig): number {
    return config.db.drainTimeoutMs;
  }
}

/**
 * The database of the current configuration generation, behind the standard tokens:
 * `@InjectDataSource()`, `@InjectEntityManager()` and `@InjectRepository(Entity)` resolve, on
 * every access, to the generation pinned by the current request.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE_GENERATIONS,
          inject: [ConfigCenter, RequestScope],
          useFactory: async (center: ConfigCenter, scope: RequestScope) => {
            const { db } = center.config;
            const dataSource = await openDataSource(db, registeredEntities(), scope);
            return new Swappable('database', dataSource, label(db), (old) => old.destroy());
          },
        },
        {
          provide: getDataSourceToken(),
          inject: [DATABASE_GENERATIONS, RequestScope],
          useFactory: (generations: DatabaseGenerations, scope: RequestScope) =>
            forwardingProxy<DataSource>(DataSource.prototype, () => scope.resolve(generations)),
        },
        {
          provide: getEntityManagerToken(),
          inject: [DATABASE_GENERATIONS, RequestScope],
          useFactory: (generations: DatabaseGenerations, scope: RequestScope) =>
            forwardingProxy<EntityManager>(
              EntityManager.prototype,
              () => scope.resolve(generations).manager,
            ),
        },
        DatabaseReloader,
      ],
      exports: [DATABASE_GENERATIONS, getDataSourceToken(), getEntityManagerToken()],
    };
  }

  /** Repositories for `entities`, following the current generation. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forFeature(entities: Function[]): DynamicModule {
    registerEntities(entities);
    const providers: Provider[] = entities.map((entity) => ({
      provide: getRepositoryToken(entity as never),
      inject: [DATABASE_GENERATIONS, RequestScope],
      useFactory: (generations: DatabaseGenerations, scope: RequestScope) =>
        forwardingProxy<Repository<ObjectLiteral>>(Repository.prototype, () =>
          scope.resolve(generations).getRepository(entity),
        ),
    }));
    return { module: DatabaseModule, providers, exports: providers };
  }
}
