import { SpanKind, type Attributes } from '@opentelemetry/api';
import { defaultDbStatementSerializer } from '@opentelemetry/redis-common';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { LeafSpans, LightSpan } from './light-span';

/**
 * A CLIENT span per Redis command that ioredis sends inside a sampled trace, named by the
 * command (`get`), with `db.system.name`, `db.operation.name` (`MULTI get`, `PIPELINE get`
 * inside a transaction or pipeline), `server.address`, `server.port` and `db.query.text`:
 * the command and its key, never a value (`set session:1 [1 other arguments]`).
 *
 * `sendCommand` is wrapped once, in place: outside a sampled trace a command costs one
 * context look-up more than without tracing; the spans are leaves (light-span.ts). ioredis's
 * own `diagnostics_channel` tracing (`ioredis:command`) would cost a promise more per
 * command, sampled or not.
 */

interface RedisCommand {
  name: string;
  args: Parameters<typeof defaultDbStatementSerializer>[1];
  inTransaction?: boolean;
  pipelineIndex?: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface RedisClient {
  options: { host?: string; port?: number };
}

type Method = (this: RedisClient, ...args: unknown[]) => unknown;

const WRAPPED = Symbol('msproject.redisSpans');

function startChild(
  spans: LeafSpans,
  parent: ReadableSpan,
  client: RedisClient,
  name: string,
  text: string,
  operation?: string,
): LightSpan {
  const { host, port } = client.options;
  const attributes: Attributes = {};
  if (operation !== undefined) attributes['db.operation.name'] = operation;
  attributes['db.system.name'] = 'redis';
  attributes['db.query.text'] = text;
  if (host !== undefined) attributes['server.address'] = host;
  if (port !== undefined) attributes['server.port'] = port;
  return spans.start(parent, name, SpanKind.CLIENT, attributes);
}

function operationOf(command: RedisCommand): string {
  if (command.name === 'multi' || command.name === 'exec') return command.name;
  if (command.inTransaction) return `MULTI ${command.name}`;
  if (command.pipelineIndex != null) return `PIPELINE ${command.name}`;
  return command.name;
}

function tracedSendCommand(original: Method, spans: LeafSpans): Method {
  return function (this: RedisClient, ...args: unknown[]): unknown {
    const command = args[0] as RedisCommand | undefined;
    if (typeof command !== 'object' || command === null) return original.apply(this, args);
    const parent = spans.recordedParent();
    if (!parent) return original.apply(this, args);
    const span = startChild(
      spans,
      parent,
      this,
      command.name,
      defaultDbStatementSerializer(command.name, command.args),
      operationOf(command),
    );
    try {
      const result = original.apply(this, args);
      const { resolve, reject } = command;
      command.resolve = (value) => {
        span.end();
        resolve(value);
      };
      command.reject = (error) => {
        span.fail(error, true);
        span.end();
        reject(error);
      };
      return result;
    } catch (error) {
      span.fail(error as Error, true);
      span.end();
      throw error;
    }
  };
}

function tracedConnect(original: Method, spans: LeafSpans): Method {
  return function (this: RedisClient, ...args: unknown[]): unknown {
    const parent = spans.recordedParent();
    if (!parent) return original.apply(this, args);
    const span = startChild(spans, parent, this, 'connect', 'connect');
    try {
      return original.apply(this, args);
    } catch (error) {
      span.fail(error as Error, true);
      throw error;
    } finally {
      span.end();
    }
  };
}

/** Wraps ioredis's client methods (Cluster's node clients share them); once. */
export function installRedisSpans(spans: LeafSpans): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ioredis = require('ioredis') as { default: { prototype: object } };
  const prototype = ioredis.default.prototype as Record<string, Method> & { [WRAPPED]?: boolean };
  if (prototype[WRAPPED]) return;
  prototype[WRAPPED] = true;
  prototype.sendCommand = tracedSendCommand(prototype.sendCommand, spans);
  prototype.connect = tracedConnect(prototype.connect, spans);
}
