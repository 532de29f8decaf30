import { ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Terminus' own 503 body (which check is down, and why: a pending migration, an unreachable
 * replica) instead of the generic problem every other 5xx becomes. The checks' messages hold
 * names and error codes, never credentials.
 */
export async function withCheckDetails<T>(reply: FastifyReply, check: Promise<T>) {
  try {
    return await check;
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) throw error;
    void reply.status(503);
    return error.getResponse();
  }
}
