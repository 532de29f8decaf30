import { STATUS_CODES } from 'node:http';
import { Metadata } from '@grpc/grpc-js';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { isDependencyUnavailable } from './dependency-failure';
import { grpcStatusFor, Problem } from './problem';

interface FastifyError {
  statusCode?: number;
  code?: string;
}

/** Turns whatever a handler threw into a Problem, hiding internals of unexpected errors. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : 'http_error';
    const detail = status >= 500 ? 'internal error' : error.message;
    return new Problem(status, code, detail);
  }
  // The driver's text names hosts and ports: the client learns only that it may retry.
  if (isDependencyUnavailable(error)) return Problem.unavailable();
  const { statusCode, code } = error as FastifyError;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    // Fastify's own rejections: malformed JSON, oversized body, wrong content type.
    const detail =
      code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'request body is too large'
        : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported content type'
          : 'malformed request body';
    return new Problem(statusCode, (code ?? 'bad_request').toLowerCase(), detail);
  }
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
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (problem.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(problem.retryAfterSeconds));
    }
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json')
      .send({
        type: `https://msproject.dev/problems/${problem.code}`,
        title: STATUS_CODES[problem.status] ?? 'Error',
        status: problem.status,
        detail: problem.detail,
        instance: request.url,
        code: problem.code,
        ...(problem.errors.length ? { errors: problem.errors } : {}),
      });
  }
}
