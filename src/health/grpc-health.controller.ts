import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Problem } from '../common/problem';
import { map, type Observable } from 'rxjs';
import { Public } from '../common/public.decorator';
import { GrpcHealthService } from './grpc-health.service';

interface HealthCheckRequest {
  service: string;
}

interface HealthCheckResponse {
  status: string;
}

/** grpc.health.v1.Health: Check answers at once, Watch streams changes. */
@Public()
@Controller()
export class GrpcHealthController {
  constructor(private readonly health: GrpcHealthService) {}

  @GrpcMethod('Health', 'Check')
  check(request: HealthCheckRequest): HealthCheckResponse {
    const status = this.health.status(request.service ?? '');
    if (status === 'SERVICE_UNKNOWN') {
      throw Problem.notFound('unknown service');
    }
    return { status };
  }

  @GrpcMethod('Health', 'Watch')
  watch(request: HealthCheckRequest): Observable<HealthCheckResponse> {
    const service = request.service ?? '';
    return this.health.watch().pipe(map(() => ({ status: this.health.status(service) })));
  }
}
