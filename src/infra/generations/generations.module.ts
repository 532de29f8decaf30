import {
  Global,
  Injectable,
  Module,
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finalize, Observable } from 'rxjs';
import { RequestScope } from './request-scope';

/** Pins every HTTP request to the current generations from its first middleware to its end. */
@Injectable()
export class PinRequestMiddleware implements NestMiddleware {
  constructor(private readonly scope: RequestScope) {}

  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const { end } = this.scope.open(() => next());
    response.once('close', end);
  }
}

/**
 * Pins every gRPC call. HTTP requests are pinned by the middleware; for them this keeps the
 * pin until the handler is done, even when the client has already gone.
 */
@Injectable()
export class PinHandlerInterceptor implements NestInterceptor {
  constructor(private readonly scope: RequestScope) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.scope.active) {
      const release = this.scope.retain();
      return next.handle().pipe(finalize(release));
    }
    return new Observable((subscriber) => {
      const { result: subscription, end } = this.scope.open(() =>
        next.handle().subscribe(subscriber),
      );
      return () => {
        subscription.unsubscribe();
        end();
      };
    });
  }
}

@Global()
@Module({
  providers: [RequestScope, { provide: APP_INTERCEPTOR, useClass: PinHandlerInterceptor }],
  exports: [RequestScope],
})
export class GenerationsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PinRequestMiddleware)
      .forRoutes({ path: '/{*splat}', method: RequestMethod.ALL });
  }
}
