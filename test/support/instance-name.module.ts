import { join } from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Public } from '@/common/public.decorator';
import { ConfigCenter } from '@/config/config-center';
import type { ProtoPackage } from '@/grpc/grpc.options';

export const INSTANCE_PROTO = join(__dirname, '../../../test/support/proto/instance.proto');

export const INSTANCE_PACKAGE: ProtoPackage = {
  name: 'msproject.test.v1',
  file: INSTANCE_PROTO,
  services: ['msproject.test.v1.Instance'],
};

/** Answers with this instance's gRPC port: which of several instances served a call. */
@Public()
@Controller()
class InstanceNameController {
  constructor(private readonly center: ConfigCenter) {}

  @GrpcMethod('Instance', 'Name')
  name() {
    return { name: String(this.center.config.grpc.port) };
  }
}

@Module({ controllers: [InstanceNameController] })
export class InstanceNameModule {}
