import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem';

/** The RFC 9457 body of `problem`; `instance` is the request path without its query. */
export function problemBody(problem: Problem, instance?: string): Record<string, unknown> {
  return {
    type: `https://msproject.dev/problems/${problem.code}`,
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    ...(instance !== undefined ? { instance } : {}),
    code: problem.code,
    ...(problem.errors.length ? { errors: problem.errors } : {}),
  };
}

/** How a route writes its problems when not as problem details (the web client's envelope). */
export type ProblemWriter = (reply: FastifyReply, problem: Problem) => void;

/** The Fastify route config key of a route's own ProblemWriter. */
export const PROBLEM_WRITER = 'answerProblem';

/** The matched route's own ProblemWriter, if it declares one. */
export function problemWriterOf(request: FastifyRequest): ProblemWriter | undefined {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  const writer = config?.[PROBLEM_WRITER];
  return typeof writer === 'function' ? (writer as ProblemWriter) : undefined;
}

/**
 * Writes `problem` as problem details. `instance` is left out where the path itself was the
 * fault (malformed, too long).
 */
export function sendProblem(reply: FastifyReply, problem: Problem, instance?: string): void {
  if (problem.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(problem.retryAfterSeconds));
  }
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json')
    .send(problemBody(problem, instance));
}

/**
 * Fastify's `clientErrorHandler`: what the HTTP parser refused before there was a request
 * (headers too large, not HTTP at all, too slow), answered as problem details on the socket.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new Problem(431, 'headers_too_large', 'request headers are too large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new Problem(408, 'request_timeout', 'the request did not arrive in time')
        : new Problem(400, 'malformed_request', 'the request is not valid HTTP');
  const body = JSON.stringify(problemBody(problem));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Connection: close\r\nContent-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
