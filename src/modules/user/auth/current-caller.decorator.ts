import type { Metadata } from '@grpc/grpc-js';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { CALLER, type Caller } from './access-token.guard';

/**
 * The authenticated caller (member id and session) of an HTTP route or an RPC, as
 * AccessTokenGuard left it on the request or on the call's metadata.
 */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller => {
    const holder =
      context.getType() === 'rpc'
        ? context.switchToRpc().getContext<Metadata & { [CALLER]?: Caller }>()
        : context.switchToHttp().getRequest<{ [CALLER]?: Caller }>();
    const caller = holder[CALLER];
    if (!caller) throw Problem.unauthenticated();
    return caller;
  },
);
