import type { FastifyReply } from 'fastify';
import type { Problem } from '@/common/problem';

/** Every answer of the web client's routes: HTTP 200 with this body. */
export interface Envelope<T = unknown> {
  code: number;
  /** A non-empty message pops a notice in the client: '' on success. */
  msg: string;
  data: T;
}

/**
 * The codes the client acts on: 200 success, 401 logs it out (so only for a missing, invalid
 * or expired token or session), 403 a permission notice, 4041 "resource missing" and back
 * home. Bad input is 400 with the field named in the message. Other codes only show `msg`.
 */
export const ENVELOPE_CODE_BY_STATUS: Record<number, number> = {
  400: 400,
  401: 401,
  403: 403,
  404: 4041,
  409: 409,
  413: 400,
  414: 400,
  415: 400,
  422: 400,
  429: 429,
  431: 400,
  503: 503,
};

export function ok<T>(data: T): Envelope<T> {
  return { code: 200, msg: '', data };
}

/** The envelope of a problem: its public detail only, never internals (see toProblem). */
export function problemEnvelope(problem: Problem): Envelope<null> {
  const code = ENVELOPE_CODE_BY_STATUS[problem.status] ?? 500;
  return { code, msg: code === 500 ? 'internal error' : problem.detail, data: null };
}

/** The ProblemWriter of the web client's routes: the envelope, with HTTP 200. */
export function sendEnvelopeProblem(reply: FastifyReply, problem: Problem): void {
  if (problem.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(problem.retryAfterSeconds));
  }
  void reply
    .status(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(problemEnvelope(problem));
}
