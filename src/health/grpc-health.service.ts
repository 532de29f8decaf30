import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { GRPC_PACKAGES } from '../grpc/grpc.options';
import { ServingState } from './serving-state';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The serving state reported by grpc.health.v1; NOT_SERVING from the start of shutdown. */
@Injectable()
export class GrpcHealthService implements BeforeApplicationShutdown {
  private readonly services = new Set<string>([
    '',
    ...GRPC_PACKAGES.flatMap((protoPackage) => protoPackage.services),
  ]);

  constructor(private readonly serving: ServingState) {}

  status(service: string): ServingStatus {
    if (!this.services.has(service)) return 'SERVICE_UNKNOWN';
    return this.serving.serving ? 'SERVING' : 'NOT_SERVING';
  }

  watch(): Observable<'SERVING' | 'NOT_SERVING'> {
    return this.serving.changes().pipe(map((serving) => (serving ? 'SERVING' : 'NOT_SERVING')));
  }

  beforeApplicationShutdown(): void {
    // Tell watchers, then end their streams so that a graceful gRPC shutdown can finish.
    this.serving.close();
  }
}
