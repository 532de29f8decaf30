import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { LeafSpans, LightSpan } from './light-span';

/**
 * A CLIENT span per SQL statement that mysql2 runs inside a sampled trace, named by its verb
 * (`SELECT`), with `db.system.name`, `db.namespace`, `server.address`, `server.port` and the
 * statement masked in `db.query.text`: no bound value (the text is the statement before mysql2
 * inlines its values) and no literal (numbers and quoted strings become `?`).
 *
 * The connection's `query` and `execute` are wrapped once, in place: outside a sampled trace
 * (start-up migrations, health probes, unsampled requests) a statement costs one context
 * look-up more than without tracing. The masked text and the name are worked out once per
 * distinct statement, and a connection's attributes once per connection; the spans are
 * leaves (light-span.ts).
 *
 * mysql2's own `diagnostics_channel` tracing (`mysql2:query`) is not used: its events carry
 * the statement with the values already inlined, which would have to be masked again, by
 * pattern, on every call.
 */

interface StatementInfo {
  name: string;
  text: string;
}

interface ConnectionConfig {
  host?: string;
  port?: number | string;
  database?: string;
  socketPath?: string;
}

interface MysqlConnection {
  config: ConnectionConfig;
}

type Callback = (error: Error | null, ...rest: unknown[]) => unknown;
type QueryMethod = (this: MysqlConnection, ...args: unknown[]) => unknown;

interface Emitting {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

const WRAPPED = Symbol('msproject.sqlSpans');
/** Distinct statements remembered; past this the memory starts afresh. */
const STATEMENT_CACHE_SIZE = 2_000;

/** Numbers and quoted strings (quotes escaped by a backslash or doubled) become `?`. */
export function maskStatement(sql: string): string {
  return sql.replace(/\b\d+\b/g, '?').replace(/(["'])(?:\\.|\1\1|(?!\1)[^\\])*\1/g, '?');
}

const statements = new Map<string, StatementInfo>();

function statementInfo(sql: string): StatementInfo {
  let info = statements.get(sql);
  if (!info) {
    const space = sql.indexOf(' ');
    info = { name: space === -1 ? sql : sql.slice(0, space), text: maskStatement(sql) };
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
    statements.set(sql, info);
  }
  return info;
}

const connectionAttributes = new WeakMap<ConnectionConfig, Attributes>();

function attributesOf(config: ConnectionConfig): Attributes {
  let attributes = connectionAttributes.get(config);
  if (!attributes) {
    const port = Number.parseInt(String(config.port), 10);
    attributes = {};
    if (config.database !== undefined) attributes['db.namespace'] = config.database;
    if (config.host !== undefined) attributes['server.address'] = config.host;
    if (!Number.isNaN(port)) attributes['server.port'] = port;
    attributes['db.system.name'] = 'mysql';
    connectionAttributes.set(config, attributes);
  }
  return attributes;
}

function endSpan(span: LightSpan, error: Error | null): void {
  if (error) span.fail(error, false);
  span.end();
}

/**
 * The statement's callback, after its span ends. The wrapper keeps the callback and the span
 * only until it has run: through the callback (mysql2's promise resolver) it would otherwise
 * keep the statement's rows reachable for as long as the wrapper itself is, which under load
 * had most traced requests' rows promoted to the old generation (see the README's
 * Performance). A second call, which mysql2 makes only after reporting a query timeout, is not
 * passed on: the promise TypeORM waits on settles once anyway.
 */
export function endingFirst(span: LightSpan, callback: Callback): Callback {
  let pendingSpan: LightSpan | undefined = span;
  let pendingCallback: Callback | undefined = callback;
  return function (this: unknown, error: Error | null, ...rest: unknown[]) {
    const ending = pendingSpan;
    const next = pendingCallback;
    pendingSpan = pendingCallback = undefined;
    if (ending) endSpan(ending, error);
    return next?.call(this, error, ...rest);
  };
}

function traced(original: QueryMethod, spans: LeafSpans): QueryMethod {
  return function (this: MysqlConnection, ...args: unknown[]): unknown {
    const parent = spans.recordedParent();
    if (!parent) return original.apply(this, args);
    const [statement] = args;
    const sql =
      typeof statement === 'string' ? statement : (statement as { sql?: string } | null)?.sql;
    if (typeof sql !== 'string') return original.apply(this, args);
    const info = statementInfo(sql);
    const span = spans.start(parent, info.name, SpanKind.CLIENT, {
      ...attributesOf(this.config),
      'db.query.text': info.text,
    });
    // (sql, values, callback), (sql, callback), or a command object with its own callback.
    const at = typeof args[2] === 'function' ? 2 : typeof args[1] === 'function' ? 1 : -1;
    if (at !== -1) {
      args[at] = endingFirst(span, args[at] as Callback);
      return original.apply(this, args);
    }
    const command = statement as { onResult?: Callback };
    if (args.length === 1 && typeof command.onResult === 'function') {
      command.onResult = endingFirst(span, command.onResult);
      return original.apply(this, args);
    }
    const emitter = original.apply(this, args) as Emitting;
    emitter.once('error', (error) => endSpan(span, error as Error));
    emitter.once('end', () => endSpan(span, null));
    return emitter;
  };
}

/** Wraps mysql2's connection methods (every pool connection shares them); once. */
export function installSqlSpans(spans: LeafSpans): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql2 = require('mysql2') as { Connection: { prototype: object } };
  // Connection extends the base connection that holds query and execute.
  const base = Object.getPrototypeOf(mysql2.Connection.prototype) as Record<string, QueryMethod> & {
    [WRAPPED]?: boolean;
  };
  if (base[WRAPPED]) return;
  base[WRAPPED] = true;
  for (const method of ['query', 'execute']) base[method] = traced(base[method], spans);
}
