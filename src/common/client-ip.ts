import { isIPv4, isIPv6 } from 'node:net';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The hextets of a full IPv6 address (`::` expanded, a dotted IPv4 tail as two), or null. */
function hextets(address: string): number[] | null {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  const missing = 8 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  return [...front, ...new Array<number>(missing).fill(0), ...back];
}

/**
 * The client as the per-client rate limits count it: the same for both transports (gRPC's
 * `ipv4:`/`ipv6:` peer and Fastify's address alike), an IPv4-mapped IPv6 address as its IPv4
 * address, and any other IPv6 address as its /64 network, which one subscriber usually holds
 * whole: counting single addresses there would let one client step through 2^64 of them.
 */
export function rateLimitClient(address: string): string {
  const bare = address
    .replace(/^ipv[46]:/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const groups = hextets(bare.toLowerCase());
  if (!groups) return bare;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * The client's address, as the rate limits count it (`rateLimitClient`): over HTTP as Fastify
 * sees it (X-Forwarded-For honoured behind a trusted proxy), over gRPC the peer of the call.
 */
export const ClientIp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    if (context.getType() === 'rpc') {
      const call = context.getArgByIndex<ServerUnaryCall<unknown, unknown>>(2);
      return rateLimitClient(call.getPeer().replace(/:\d+$/, ''));
    }
    return rateLimitClient(context.switchToHttp().getRequest<FastifyRequest>().ip);
  },
);
