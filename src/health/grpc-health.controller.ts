import { Controller } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import { GrpcHealthService } from './grpc-health.service';

interface HealthCheckRequest {
  service: string;
}

interface HealthCheckResponse {
  status: string;
}

/** grpc.health.v1.Health: Check answers at once, Watch streams changes. */
@Controller()
export class GrpcHealthController {
  constructor(private readonly health: GrpcHealthService) {}

  @GrpcMethod('Health', 'Check')
  check(request: HealthCheckRequest): HealthCheckResponse {
    const status = this.health.status(request.service ?? '');
    if (status === 'SERVICE_UNKNOWN') {
      throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: 'unknown service' });
    }
    return { status };
  }

  @GrpcMethod('Health', 'Watch')
  watch(request: HealthCheckRequest): Observable<HealthCheckResponse> {
    const service = request.service ?? '';
    return this.health.watch().pipe(map(() => ({ status: this.health.status(service) })));
  }
}
