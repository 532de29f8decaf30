import { status as GrpcStatus } from '@grpc/grpc-js';

export interface FieldProblem {
  field: string;
  message: string;
}

const GRPC_BY_HTTP: Record<number, GrpcStatus> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  401: GrpcStatus.UNAUTHENTICATED,
  403: GrpcStatus.PERMISSION_DENIED,
  404: GrpcStatus.NOT_FOUND,
  409: GrpcStatus.ALREADY_EXISTS,
  413: GrpcStatus.INVALID_ARGUMENT,
  429: GrpcStatus.RESOURCE_EXHAUSTED,
  503: GrpcStatus.UNAVAILABLE,
};

export function grpcStatusFor(httpStatus: number): GrpcStatus {
  return GRPC_BY_HTTP[httpStatus] ?? GrpcStatus.INTERNAL;
}

/**
 * An error the client is meant to see, in both transports: RFC 9457 problem details over
 * HTTP, the matching status code (with the field in metadata) over gRPC. `code` is the
 * business reason, stable for clients to switch on.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'Problem';
  }

  static invalid(errors: FieldProblem[]): Problem {
    const [first] = errors;
    return new Problem(400, 'invalid_argument', `${first.field}: ${first.message}`, errors);
  }

  static conflict(field: string, message: string): Problem {
    return new Problem(409, 'already_exists', message, [{ field, message }]);
  }

  static unauthenticated(detail = 'authentication required'): Problem {
    return new Problem(401, 'unauthenticated', detail);
  }

  static forbidden(detail = 'not allowed'): Problem {
    return new Problem(403, 'forbidden', detail);
  }

  static notFound(detail = 'not found'): Problem {
    return new Problem(404, 'not_found', detail);
  }

  static tooManyRequests(retryAfterSeconds: number, detail = 'too many requests'): Problem {
    return new Problem(429, 'rate_limited', detail, [], retryAfterSeconds);
  }
}
