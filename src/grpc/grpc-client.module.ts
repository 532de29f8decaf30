import { Global, Module } from '@nestjs/common';
import { GrpcClientFactory } from './grpc-client.factory';

/** `GrpcClientFactory` for every module that calls a gRPC service. */
@Global()
@Module({ providers: [GrpcClientFactory], exports: [GrpcClientFactory] })
export class GrpcClientModule {}
