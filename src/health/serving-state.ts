import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BehaviorSubject, type Observable } from 'rxjs';

/**
 * Whether this instance wants new traffic. It stops wanting it at the first moment of
 * shutdown, while it still serves: readiness answers 503 and gRPC health NOT_SERVING, so that
 * load balancers send the next requests elsewhere before the listeners close.
 */
@Injectable()
export class ServingState {
  private readonly state = new BehaviorSubject<boolean>(true);

  constructor(private readonly health: HealthIndicatorService) {}

  get serving(): boolean {
    return this.state.value;
  }

  changes(): Observable<boolean> {
    return this.state.asObservable();
  }

  stopServing(): void {
    if (this.state.value) this.state.next(false);
  }

  /** Ends the streams of watchers, so that a graceful gRPC shutdown can finish. */
  close(): void {
    this.stopServing();
    this.state.complete();
  }

  check(key: string) {
    const indicator = this.health.check(key);
    return this.serving ? indicator.up() : indicator.down({ reason: 'shutting down' });
  }
}
