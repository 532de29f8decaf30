import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GrpcHealthController } from './grpc-health.controller';
import { GrpcHealthService } from './grpc-health.service';
import { ConfigHealthIndicator } from './config.health';
import { DatabaseHealthIndicator } from './database.health';
import { DatabaseNodesMetric } from './database-nodes.metric';
import { HealthController } from './health.controller';
import { MigrationsHealthIndicator } from './migrations.health';
import { RedisHealthIndicator } from './redis.health';
import { ServingState } from './serving-state';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, GrpcHealthController],
  providers: [
    ConfigHealthIndicator,
    DatabaseHealthIndicator,
    DatabaseNodesMetric,
    MigrationsHealthIndicator,
    RedisHealthIndicator,
    GrpcHealthService,
    ServingState,
  ],
  exports: [GrpcHealthService, ServingState],
})
export class HealthModule {}
