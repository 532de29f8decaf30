import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { parse as lenientParse } from 'fast-querystring';
import { Problem } from '@/common/problem';

export const FORM = 'application/x-www-form-urlencoded';

/** Fastify route config key marking the web client's routes. */
export const WEB_CLIENT_ROUTE = 'webClientRoute';

/** More fields than any form of the client has, by far. */
const MAX_FIELDS = 1000;

function isClientRoute(request: Pick<FastifyRequest, 'routeOptions'>): boolean {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  return config?.[WEB_CLIENT_ROUTE] === true;
}

function malformed(message: string): Problem {
  return Problem.invalid([{ field: '(body)', message }]);
}

/**
 * A urlencoded body as the client's encoder writes it, read strictly: `a=1&a=2` is a list, a
 * field without `=` is empty, `+` is a space; a bad escape or text that is not UTF-8 (a lone
 * surrogate) is refused rather than kept as its escapes. No prototype to pollute.
 */
export function parseClientForm(text: string): Record<string, string | string[]> {
  const form = Object.create(null) as Record<string, string | string[]>;
  const parts = text.split('&').filter((part) => part !== '');
  if (parts.length > MAX_FIELDS) throw malformed(`at most ${MAX_FIELDS} fields`);
  for (const part of parts) {
    const at = part.indexOf('=');
    const [rawKey, rawValue] = at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replaceAll('+', ' '));
      value = decodeURIComponent(rawValue.replaceAll('+', ' '));
    } catch {
      throw malformed('is not valid urlencoded UTF-8');
    }
    const previous = form[key];
    form[key] =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? [...previous, value]
          : [previous, value];
  }
  return form;
}

/**
 * The urlencoded parser of every route: the client's routes read their forms strictly; every
 * other route keeps what Nest's Fastify adapter does by default (fast-querystring, a
 * `__proto__` field refused), so that /api/v1 parses as it did.
 */
export function installFormParser(app: NestFastifyApplication, bodyLimit: number): void {
  app.useBodyParser(FORM, { bodyLimit }, (request, body: Buffer, done) => {
    const text = body.toString('utf8');
    if (isClientRoute(request)) {
      try {
        done(null, parseClientForm(text));
      } catch (error) {
        done(error as Error, undefined);
      }
      return;
    }
    const parsed = lenientParse(text) as Record<string, unknown>;
    if (Object.hasOwn(parsed, '__proto__')) {
      done(new BadRequestException('Object contains forbidden prototype property'), undefined);
      return;
    }
    done(null, parsed);
  });
}
