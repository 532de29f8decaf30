import { Global, Module } from '@nestjs/common';
import { ServiceRegistry } from './service-registry';

/** Registration of this instance in Nacos naming, and `nacos:///` gRPC targets. */
@Global()
@Module({ providers: [ServiceRegistry], exports: [ServiceRegistry] })
export class DiscoveryModule {}
