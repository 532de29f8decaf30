import { Inject, Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ConfigCenter } from './config/config-center';
import { NacosConfigModule } from './config/nacos-config.module';
import type { NacosConfigModuleOptions } from './config/nacos-config.module-definition';
import { DiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { DatabaseModule } from './infra/database/database.module';
import { GenerationsModule } from './infra/generations/generations.module';
import { RedisModule } from './infra/redis/redis.module';
import { StorageModule } from './infra/storage/storage.module';
import { GrpcClientModule } from './grpc/grpc-client.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { traceFieldsOf } from './telemetry/http-telemetry';
import { isUntracedPath } from './telemetry/untraced';
import { ProblemFilter } from './common/problem.filter';
import { LogLevelReaction } from './logging/log-level.reaction';
import { serializeRequest } from './logging/request-serializer';
import { configurePublicIds } from './common/public-id';
import { UserModule } from './modules/user/user.module';
import { ProjectModule } from './modules/project/project.module';
import { NotificationModule } from './modules/notification/notification.module';
import { OrganizationModule } from './modules/organization/organization.module';
import { FileModule } from './modules/file/file.module';
import { WebClientModule } from './modules/web-client/web-client.module';
import { appConfigSchema } from './config/schema';

@Module({})
export class AppModule {
  // Every id on the wire is sealed with ids.secret, read once here: a new one takes a restart.
  constructor(@Inject(ConfigCenter) center: ConfigCenter) {
    configurePublicIds(center.config.ids.secret);
  }

  static register(options: NacosConfigModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        NacosConfigModule.forRoot(options),
        TelemetryModule,
        LoggerModule.forRootAsync({
          inject: [ConfigCenter],
          useFactory: (center: ConfigCenter) => ({
            pinoHttp: {
              logger: center.logger,
              autoLogging: {
                // Fastify's middleware layer strips the mount path from `url`.
                ignore: (request) =>
                  isUntracedPath((request as { originalUrl?: string }).originalUrl ?? request.url),
              },
              quietReqLogger: true,
              serializers: { req: serializeRequest },
              // The completion line is written on the response's `finish`, maybe outside the
              // request's trace context: its ids come from the request.
              customSuccessObject: (request, _response, value: object) => ({
                ...traceFieldsOf(request),
                ...value,
              }),
              customErrorObject: (request, _response, _error, value: object) => ({
                ...traceFieldsOf(request),
                ...value,
              }),
            },
            // nestjs-pino's default route pattern never matches on Fastify with Nest 12.
            forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
          }),
        }),
        GenerationsModule,
        DatabaseModule.forRoot(),
        RedisModule,
        StorageModule,
        DiscoveryModule,
        HealthModule,
        GrpcClientModule,
        UserModule,
        ProjectModule,
        OrganizationModule,
        NotificationModule,
        FileModule,
        WebClientModule.register(
          options.center?.config.webClient ?? appConfigSchema.shape.webClient.parse(undefined),
        ),
      ],
      providers: [
        LogLevelReaction,
        {
          provide: APP_FILTER,
          inject: [ConfigCenter],
          useFactory: (center: ConfigCenter) => new ProblemFilter(center.logger),
        },
      ],
    };
  }
}
