import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Problem } from '../../../common/problem';
import { CALLER, type Caller } from './access-token.guard';

/** The authenticated caller of an HTTP route (member id and session), set by AccessTokenGuard. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller => {
    const caller = context.switchToHttp().getRequest<{ [CALLER]?: Caller }>()[CALLER];
    if (!caller) throw Problem.unauthenticated();
    return caller;
  },
);

/** The authenticated caller of an RPC, set by AccessTokenGuard on the call's metadata. */
export function callerOf(metadata: unknown): Caller {
  const caller = (metadata as { [CALLER]?: Caller })[CALLER];
  if (!caller) throw Problem.unauthenticated();
  return caller;
}
