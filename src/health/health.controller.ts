import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, WhenDocumented } from '../common/api-docs';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ConfigCenter, type ConfigStatus } from '../config/config-center';
import { Public } from '../common/public.decorator';
import { ServiceRegistry } from '../discovery/service-registry';
import { ConfigHealthIndicator } from './config.health';
import { DatabaseHealthIndicator } from './database.health';
import { MigrationsHealthIndicator } from './migrations.health';
import { withCheckDetails } from './readiness-details';
import { RedisHealthIndicator } from './redis.health';
import { ServingState } from './serving-state';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly config: ConfigCenter,
    private readonly configSource: ConfigHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly registry: ServiceRegistry,
    private readonly indicator: HealthIndicatorService,
    private readonly serving: ServingState,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.' })
  live() {
    return { status: 'ok' };
  }

  /**
   * The instance is not shutting down, the database primary, each replica and Redis answer (a
   * lost replica is reported, not fatal), no committed migration is pending, and where the
   * config came from. A 503 names what is down.
   */
  // The 200 and 503 schemas terminus documents, without loading the OpenAPI package at start.
  @WhenDocumented(() => HealthCheck({ noCache: false, swaggerDocumentation: true }))
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    return withCheckDetails(
      reply,
      this.health.check([
        () => this.serving.check('serving'),
        () => this.database.check('database'),
        () => this.migrations.check('migrations'),
        () => this.redis.pingCheck('redis'),
        () => this.configSource.check('config'),
        // Reported, never fatal: an instance that cannot register still serves its callers.
        () => this.indicator.check('registry').up({ ...this.registry.status() }),
      ]),
    );
  }

  /** Where the applied config came from, its version, and the last reload attempts. */
  @Get('config')
  @ApiOkResponse({ description: 'Config source, version (md5), last reload attempts; no values.' })
  configStatus(): ConfigStatus {
    return this.config.status();
  }
}
