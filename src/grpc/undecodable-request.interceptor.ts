import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { Problem } from '../common/problem';
import { status } from '@grpc/grpc-js';
import { OversizedRequest, UndecodableRequest } from './undecodable-request';

/**
 * A gRPC request whose bytes are not the method's message: INVALID_ARGUMENT; one larger than
 * its service's limit: RESOURCE_EXHAUSTED. Nothing runs.
 */
@Injectable()
export class UndecodableRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request: unknown = context.getType() === 'rpc' ? context.switchToRpc().getData() : null;
    if (request instanceof UndecodableRequest) {
      throw Problem.invalid([
        { field: '(message)', message: 'is not a valid protobuf message for this method' },
      ]);
    }
    if (request instanceof OversizedRequest) {
      throw new Problem(
        413,
        'message_too_large',
        `request larger than ${request.limitBytes} bytes, this service's limit`,
        [],
        undefined,
        status.RESOURCE_EXHAUSTED,
      );
    }
    return next.handle();
  }
}
