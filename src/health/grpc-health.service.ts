import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { BehaviorSubject, type Observable } from 'rxjs';
import { GRPC_PACKAGES } from '../grpc/grpc.options';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The serving state reported by grpc.health.v1; NOT_SERVING from the start of shutdown. */
@Injectable()
export class GrpcHealthService implements BeforeApplicationShutdown {
  private readonly services = new Set<string>([
    '',
    ...GRPC_PACKAGES.flatMap((protoPackage) => protoPackage.services),
  ]);
  private readonly state = new BehaviorSubject<'SERVING' | 'NOT_SERVING'>('SERVING');

  status(service: string): ServingStatus {
    return this.services.has(service) ? this.state.value : 'SERVICE_UNKNOWN';
  }

  watch(): Observable<'SERVING' | 'NOT_SERVING'> {
    return this.state.asObservable();
  }

  beforeApplicationShutdown(): void {
    // Tell watchers, then end their streams so that a graceful gRPC shutdown can finish.
    this.state.next('NOT_SERVING');
    this.state.complete();
  }
}
