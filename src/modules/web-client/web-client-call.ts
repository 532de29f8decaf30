import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import type { WebClientServices } from './web-client-services';

/** What a route's handler gets: its validated form, who calls, and the services. */
export interface WebClientCall<Params> {
  params: Params;
  /** The calling member; a public route called without a token has none (and asking is a 401). */
  readonly memberId: number;
  caller: Caller | undefined;
  /** The client as the rate limits count it (`rateLimitClient`). */
  readonly ip: string;
  /** The request itself, for the one route that reads a multipart body as it arrives. */
  request: FastifyRequest;
  /** The reply, for headers only (the download-pass cookie); the envelope is written for it. */
  reply: FastifyReply;
  /** The zone of the times the client reads and sends. */
  timeZone: string;
  /** A signed link to a file the member was shown, as the browser follows it (`webClient.linkBase`). */
  fileUrl: (fileId: string) => string;
  /** The prefix of links the browser follows itself (`webClient.linkBase`). */
  linkBase: string;
  /**
   * The current organization: the `organizationCode` header's, which must be one of the
   * member's active organizations (else 403), or the member's first when it is absent.
   */
  organization: () => Promise<number>;
  services: WebClientServices;
}
