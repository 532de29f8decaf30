import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { metrics } from '@opentelemetry/api';
import { isUntracedGrpcPath } from './untraced';

const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * `rpc.server.call.duration` for every gRPC call but health checks and reflection, by the
 * status the call ended with. A grpc-js server interceptor, under everything Nest runs for a
 * call: a call refused before its handler (by a guard, or as undecodable) counts with its
 * status, and one its client cancelled as CANCELLED.
 */
export function rpcMetricsInterceptor(): ServerInterceptor {
  const duration = metrics.getMeter('msproject.rpc').createHistogram('rpc.server.call.duration', {
    unit: 's',
    description: 'Duration of gRPC calls, by service, method and status code',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  return (method, call) => {
    if (isUntracedGrpcPath(method.path)) return new ServerInterceptingCall(call);
    const [, service = '', name = ''] = method.path.split('/');
    const started = performance.now();
    let ended = false;
    const record = (code: number) => {
      if (ended) return;
      ended = true;
      duration.record((performance.now() - started) / 1000, {
        'rpc.system': 'grpc',
        'rpc.service': service,
        'rpc.method': name,
        'rpc.grpc.status_code': code,
      });
    };
    return new ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: () => record(status.CANCELLED) }),
      sendStatus: (sent, next) => {
        record(sent.code);
        next(sent);
      },
    });
  };
}
