import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { defaultDbStatementSerializer } from '@opentelemetry/redis-common';

/**
 * A CLIENT span per Redis command that ioredis sends inside a sampled trace, named by the
 * command (`get`), with `db.system.name`, `db.operation.name` (`MULTI get`, `PIPELINE get`
 * inside a transaction or pipeline), `server.address`, `server.port` and `db.query.text`:
 * the command and its key, never a value (`set session:1 [1 other arguments]`).
 *
 * `sendCommand` is wrapped once, in place: outside a sampled trace a command costs one
 * context look-up more than without tracing. ioredis's own `diagnostics_channel` tracing
 * (`ioredis:command`) would cost a promise more per command, sampled or not.
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

function failed(span: Span, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/** The active context, when its span is recorded: only then is a span started under it. */
function recordedContext(): Context | undefined {
  const active = context.active();
  return trace.getSpan(active)?.isRecording() ? active : undefined;
}

function startChild(
  tracer: Tracer,
  parent: Context,
  client: RedisClient,
  name: string,
  text: string,
  operation?: string,
): Span {
  const { host, port } = client.options;
  return tracer.startSpan(
    name,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        ...(operation === undefined ? {} : { 'db.operation.name': operation }),
        'db.system.name': 'redis',
        'db.query.text': text,
        'server.address': host,
        'server.port': port,
      },
    },
    parent,
  );
}

function operationOf(command: RedisCommand): string {
  if (command.name === 'multi' || command.name === 'exec') return command.name;
  if (command.inTransaction) return `MULTI ${command.name}`;
  if (command.pipelineIndex != null) return `PIPELINE ${command.name}`;
  return command.name;
}

function tracedSendCommand(original: Method, tracer: Tracer): Method {
  return function (this: RedisClient, ...args: unknown[]): unknown {
    const command = args[0] as RedisCommand | undefined;
    if (typeof command !== 'object' || command === null) return original.apply(this, args);
    const parent = recordedContext();
    if (!parent) return original.apply(this, args);
    const span = startChild(
      tracer,
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
        failed(span, error);
        span.end();
        reject(error);
      };
      return result;
    } catch (error) {
      failed(span, error as Error);
      span.end();
      throw error;
    }
  };
}

function tracedConnect(original: Method, tracer: Tracer): Method {
  return function (this: RedisClient, ...args: unknown[]): unknown {
    const parent = recordedContext();
    if (!parent) return original.apply(this, args);
    const span = startChild(tracer, parent, this, 'connect', 'connect');
    try {
      return original.apply(this, args);
    } catch (error) {
      failed(span, error as Error);
      throw error;
    } finally {
      span.end();
    }
  };
}

/** Wraps ioredis's client methods (Cluster's node clients share them); once. */
export function installRedisSpans(tracer: Tracer): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ioredis = require('ioredis') as { default: { prototype: object } };
  const prototype = ioredis.default.prototype as Record<string, Method> & { [WRAPPED]?: boolean };
  if (prototype[WRAPPED]) return;
  prototype[WRAPPED] = true;
  prototype.sendCommand = tracedSendCommand(prototype.sendCommand, tracer);
  prototype.connect = tracedConnect(prototype.connect, tracer);
}
