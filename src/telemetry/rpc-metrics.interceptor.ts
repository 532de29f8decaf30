import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { tap, type Observable } from 'rxjs';
import { isUntracedGrpcPath } from './untraced';

const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** grpc-js status codes: OK, and UNKNOWN for an error that names none. */
const OK = 0;
const UNKNOWN = 2;

interface GrpcCall {
  getPath?: () => string;
}

function statusOf(error: unknown): number {
  const candidate = error as { code?: unknown; getError?: () => unknown };
  const payload = typeof candidate?.getError === 'function' ? candidate.getError() : candidate;
  const code = (payload as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : UNKNOWN;
}

/** `rpc.server.call.duration` for every gRPC call but health checks and reflection. */
@Injectable()
export class RpcMetricsInterceptor implements NestInterceptor {
  private readonly duration = metrics
    .getMeter('msproject.rpc')
    .createHistogram('rpc.server.call.duration', {
      unit: 's',
      description: 'Duration of gRPC calls, by service, method and status code',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    // Nest hands gRPC handlers (request, metadata, call); the call knows its path.
    const path = context.getArgByIndex<GrpcCall | undefined>(2)?.getPath?.();
    if (!path || isUntracedGrpcPath(path)) return next.handle();
    const [, service = '', method = ''] = path.split('/');
    const started = performance.now();
    const record = (code: number) =>
      this.duration.record((performance.now() - started) / 1000, {
        'rpc.system': 'grpc',
        'rpc.service': service,
        'rpc.method': method,
        'rpc.grpc.status_code': code,
      });
    return next
      .handle()
      .pipe(tap({ complete: () => record(OK), error: (error) => record(statusOf(error)) }));
  }
}
