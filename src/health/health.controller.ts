import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ConfigCenter, type ConfigStatus } from '../config/config-center';
import { Public } from '../common/public.decorator';
import { ConfigHealthIndicator } from './config.health';
import { DatabaseHealthIndicator } from './database.health';
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
   * lost replica is reported, not fatal), and where the config came from.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        () => this.serving.check('serving'),
        () => this.database.check('database'),
        () => this.redis.pingCheck('redis'),
        () => this.configSource.check('config'),
      ]);
    } catch (error) {
      // A 503 that still names what is down, rather than a bare problem.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }

  /** Where the applied config came from, its version, and the last reload attempts. */
  @Get('config')
  @ApiOkResponse({ description: 'Config source, version (md5), last reload attempts; no values.' })
  configStatus(): ConfigStatus {
    return this.config.status();
  }
}
