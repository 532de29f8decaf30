import { STATUS_CODES } from 'node:http';
import { Metadata } from '@grpc/grpc-js';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { isDependencyUnavailable } from './dependency-failure';
import { grpcStatusFor, Problem } from './problem';
import { problemWriterOf, sendProblem } from './problem-response';
import { pathOf } from './request-path';

interface FastifyError {
  statusCode?: number;
  code?: string;
}

/**
 * The HTTP framework's own rejections (router, body parsers), each with a fixed text: their
 * messages repeat the path or the body, which a response must not echo.
 */
const FRAMEWORK_PROBLEMS: Record<string, { code: string; detail: string }> = {
  FST_ERR_BAD_URL: { code: 'malformed_url', detail: 'the URL is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri_too_long', detail: 'a path parameter is too long' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'unsupported content type',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'malformed_body',
    detail: 'request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_body', detail: 'request body is empty' },
};

const PROBLEMS_BY_STATUS: Record<number, { code: string; detail: string }> = {
  400: { code: 'malformed_request', detail: 'the request is malformed' },
  404: { code: 'not_found', detail: 'not found' },
  413: { code: 'payload_too_large', detail: 'request body is too large' },
  414: { code: 'uri_too_long', detail: 'the URL is too long' },
  415: { code: 'unsupported_media_type', detail: 'unsupported content type' },
};

function frameworkProblem(status: number, code: string | undefined): Problem {
  const known = (code && FRAMEWORK_PROBLEMS[code]) || PROBLEMS_BY_STATUS[status];
  if (known) return new Problem(status, known.code, known.detail);
  return new Problem(status, 'http_error', (STATUS_CODES[status] ?? 'error').toLowerCase());
}

/** Turns whatever a handler threw into a Problem, hiding internals of unexpected errors. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status >= 500) return new Problem(status, 'http_error', 'internal error');
    return frameworkProblem(status, (error.cause as FastifyError | undefined)?.code);
  }
  // The driver's text names hosts and ports: the client learns only that it may retry.
  if (isDependencyUnavailable(error)) return Problem.unavailable();
  const { statusCode, code } = error as FastifyError;
  if (statusCode && statusCode >= 400 && statusCode < 500)
    return frameworkProblem(statusCode, code);
  return new Problem(500, 'internal', 'internal error');
}

/**
 * Errors as RFC 9457 problem details over HTTP and as status codes over gRPC. Unexpected
 * errors are logged with their stack and answered without it.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): Observable<never> | void {
    const problem = toProblem(error);
    if (problem.code === 'unavailable') {
      this.logger.warn({ err: error }, 'dependency unavailable');
    } else if (problem.status >= 500) {
      this.logger.error({ err: error }, 'unhandled error');
    }
    if (host.getType() === 'rpc') {
      const metadata = new Metadata();
      metadata.set('reason', problem.code);
      if (problem.errors[0]) metadata.set('field', problem.errors[0].field);
      if (problem.retryAfterSeconds !== undefined) {
        metadata.set('retry-after', String(problem.retryAfterSeconds));
      }
      return throwError(() => ({
        code: grpcStatusFor(problem.status, problem.grpcStatus),
        message: problem.detail,
        details: problem.detail,
        metadata,
      }));
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const writer = problemWriterOf(request);
    if (writer) writer(reply, problem);
    else sendProblem(reply, problem, pathOf(request.url));
  }
}
