import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GrpcHealthController } from './grpc-health.controller';
import { GrpcHealthService } from './grpc-health.service';
import { ConfigHealthIndicator } from './config.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';
import { ServingState } from './serving-state';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, GrpcHealthController],
  providers: [
    ConfigHealthIndicator,
    DatabaseHealthIndicator,
    RedisHealthIndicator,
    GrpcHealthService,
    ServingState,
  ],
  exports: [GrpcHealthService, ServingState],
})
export class HealthModule {}
