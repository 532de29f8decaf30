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
