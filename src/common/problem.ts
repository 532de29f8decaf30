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

/** The problem's own gRPC status when it has one, else the one matching its HTTP status. */
export function grpcStatusFor(httpStatus: number, own?: GrpcStatus): GrpcStatus {
  return own ?? GRPC_BY_HTTP[httpStatus] ?? GrpcStatus.INTERNAL;
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
    /** Where the HTTP status is ambiguous (409): the gRPC status meant. */
    readonly grpcStatus?: GrpcStatus,
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

  /**
   * The target's state forbids the operation (a project in the recycle bin, a stage that
   * still has tasks): 409 over HTTP, FAILED_PRECONDITION over gRPC.
   */
  static failedPrecondition(detail: string, field?: string, code = 'failed_precondition'): Problem {
    const errors = field ? [{ field, message: detail }] : [];
    return new Problem(409, code, detail, errors, undefined, GrpcStatus.FAILED_PRECONDITION);
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

  /** The database or Redis cannot be reached: worth retrying shortly, on this or another instance. */
  static unavailable(retryAfterSeconds = 1): Problem {
    return new Problem(
      503,
      'unavailable',
      'service temporarily unavailable',
      [],
      retryAfterSeconds,
    );
  }

  static tooManyRequests(retryAfterSeconds: number, detail = 'too many requests'): Problem {
    return new Problem(429, 'rate_limited', detail, [], retryAfterSeconds);
  }
}
