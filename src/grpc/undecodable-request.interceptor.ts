import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { Problem } from '../common/problem';
import { UndecodableRequest } from './undecodable-request';

/** A gRPC request whose bytes are not the method's message: INVALID_ARGUMENT, nothing runs. */
@Injectable()
export class UndecodableRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      context.getType() === 'rpc' &&
      context.switchToRpc().getData() instanceof UndecodableRequest
    ) {
      throw Problem.invalid([
        { field: '(message)', message: 'is not a valid protobuf message for this method' },
      ]);
    }
    return next.handle();
  }
}
