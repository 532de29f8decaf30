/**
 * A Nacos 2.x config server on the v1 HTTP wire protocol, for tests and local development.
 *
 * Spec: /work/shared/reference/nacos.md §2 (wire protocol) and §2.9 (fake-server checklist).
 * Deliberate deviations from a real server are marked "DEVIATION" below.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  NamingError,
  NamingRegistry,
  type NamingOptions,
  type RegisteredInstance,
} from './nacos-naming-registry';

const WORD_SEP = '\u0002';
const LINE_SEP = '\u0001';
// ParamUtils.isValid: letters, digits and `_ - . :`.
const VALID_NAME = /^[A-Za-z0-9_.:-]+$/;
const MAX_TENANT_LEN = 128;
const MAX_TAG_LEN = 16;
const MAX_CONTENT_LEN = 10 * 1024 * 1024;
const MAX_LISTEN_KEYS = 10_000;
const DEFAULT_TOKEN_TTL_SECONDS = 18_000;
const EPOCH_HTTP_DATE = 'Thu, 01 Jan 1970 00:00:00 GMT';
const CONFIG_TYPES = new Set([
  'properties',
  'xml',
  'json',
  'text',
  'html',
  'yaml',
  'toml',
  'unset',
]);
const REDACTED_PARAMS = new Set(['password', 'accessToken']);

const ROUTE_CONFIGS = '/v1/cs/configs';
const ROUTE_LISTENER = '/v1/cs/configs/listener';
const LOGIN_ROUTES = new Set(['/v1/auth/login', '/v1/auth/users/login']);
const NAMING_ROUTES: Record<string, string[]> = {
  '/v1/ns/instance': ['POST', 'DELETE'],
  '/v1/ns/instance/beat': ['PUT'],
  '/v1/ns/instance/list': ['GET'],
};

export interface NacosTestServerAuth {
  username: string;
  password: string;
  /** Token lifetime (`nacos.core.auth.plugin.nacos.token.expire.seconds`), default 18000. */
  tokenTtlSeconds?: number;
  /** Namespaces this user has no permission on: 403 `authorization failed!`. */
  deniedNamespaces?: string[];
}

export interface NacosTestServerOptions {
  /** 0 or absent: an ephemeral port, kept across restart(). */
  port?: number;
  host?: string;
  contextPath?: string;
  /**
   * Listener hold in ms. Real servers hold max(10000, Long-Pulling-Timeout − 500) = 29500 ms for
   * nacos@2.6.3. DEVIATION (when set): tests pass a shorter, fixed hold.
   */
  holdMs?: number;
  auth?: NacosTestServerAuth;
  /** Nacos 3.x: the public namespace is `public`, and a blank tenant means `public`. */
  namespaces3x?: boolean;
  /** Clock for token issue/expiry, so tests can expire tokens without waiting. */
  now?: () => number;
  /** Called once per request when it is answered, reset or abandoned (params redacted). */
  onRequest?: (entry: LoggedRequest) => void;
  /** Heartbeat timing of the naming API (service registry). */
  naming?: NamingOptions;
}

export interface StoredConfig {
  content: string;
  md5: string;
  type: string;
  lastModified: number;
}

export type FaultRoutes = 'all' | 'configs' | 'listener';

export type NacosFault =
  | { kind: 'status'; status: 403 | 409 | 500 | 503; routes?: FaultRoutes }
  | { kind: 'latency'; ms: number }
  /** Every new request's socket is destroyed, and held polls are dropped. */
  | { kind: 'reset' }
  /** Nacos 3.0/3.1 with `nacos.core.api.compatibility.client.enabled=false`. */
  | { kind: 'gone410' }
  /** Nacos 3.2+ without nacos-api-legacy-adapter: no v1 routes at all. */
  | { kind: 'notFound404' };

export interface LoggedRequest {
  method: string;
  /** Full request path, context path included. */
  path: string;
  /** Path below the context path ('' when outside it). */
  route: string;
  /** Query and form parameters; `password` and `accessToken` are redacted. */
  params: Record<string, string>;
  /** 0 until answered; stays 0 when the socket was reset or the client left first. */
  status: number;
  /** Arrival time, epoch ms. */
  time: number;
  /** Remote address:port. */
  client: string;
}

export type RequestFilter =
  { method?: string; path?: string; status?: number } | ((entry: LoggedRequest) => boolean);

interface ListenKey {
  storeKey: string;
  dataId: string;
  group: string;
  /** The tenant as the client sent it; echoed in change answers only when non-blank. */
  tenant: string;
  md5: string;
}

interface HeldPoll {
  res: http.ServerResponse;
  entry: LoggedRequest;
  keys: Map<string, ListenKey>;
  timer: NodeJS.Timeout;
}

type Params = Map<string, string>;

class BadRequest extends Error {}

export class NacosTestServer {
  private readonly host: string;
  private readonly contextPath: string;
  private readonly holdMsOption: number | undefined;
  private readonly auth: NacosTestServerAuth | undefined;
  private readonly namespaces3x: boolean;
  private readonly now: () => number;
  private readonly onRequest: ((entry: LoggedRequest) => void) | undefined;
  // Survives restarts, like a configured `nacos.core.auth.plugin.nacos.token.secret.key`.
  private readonly tokenSecret = randomBytes(32);
  private readonly store = new Map<string, StoredConfig>();
  private readonly held = new Set<HeldPoll>();
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private readonly events = new EventEmitter();
  private readonly log: LoggedRequest[] = [];
  private server: http.Server | undefined;
  private boundPort: number;
  private stopping = false;
  private fault: NacosFault | null = null;
  /** The service registry: instances registered through the naming API. */
  readonly naming: NamingRegistry;

  /** md5s last reported by each client in Listening-Configs, keyed by address:port. */
  readonly lastMd5ByClient = new Map<string, Map<string, string>>();

  constructor(options: NacosTestServerOptions = {}) {
    this.boundPort = options.port ?? 0;
    this.host = options.host ?? '127.0.0.1';
    this.contextPath = normalizeContextPath(options.contextPath ?? '/nacos');
    this.holdMsOption = options.holdMs;
    this.auth = options.auth;
    this.namespaces3x = options.namespaces3x ?? false;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
    this.naming = new NamingRegistry(options.naming ?? {}, this.now);
    this.events.setMaxListeners(0);
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.server) throw new Error('NacosTestServer already started');
    const server = http.createServer((req, res) => this.handleRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    this.stopping = false;
  }

  /** Answers held polls with an empty 200, then closes the listener and every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopping = true;
    for (const timer of this.pendingDelays) clearTimeout(timer);
    this.pendingDelays.clear();
    const finished = [...this.held].map((poll) => {
      const done = new Promise<void>((resolve) => {
        poll.res.once('close', resolve);
        poll.res.once('finish', resolve);
      });
      this.answerPoll(poll, '', false);
      return done;
    });
    // Let the empty answers reach the socket before it is destroyed.
    await Promise.all(finished);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.server = undefined;
  }

  /** Stops and starts again on the same port, optionally forgetting every config. */
  async restart(options: { keepData: boolean }): Promise<void> {
    await this.stop();
    if (!options.keepData) {
      this.store.clear();
      this.naming.clear();
    }
    await this.start();
  }

  get address(): AddressInfo {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('NacosTestServer is not running');
    return address;
  }

  get port(): number {
    if (!this.boundPort) throw new Error('NacosTestServer has not been started');
    return this.boundPort;
  }

  /** `host:port` as the nacos client's `serverAddr` expects. */
  get serverAddr(): string {
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return `${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  /** e.g. `http://127.0.0.1:8848/nacos`. */
  get baseUrl(): string {
    return `http://${this.serverAddr}${this.contextPath}`;
  }

  /** The hold a listener request gets for a given Long-Pulling-Timeout header value. */
  holdMsFor(longPullingTimeout: number): number {
    return this.holdMsOption ?? Math.max(10_000, longPullingTimeout - 500);
  }

  // ------------------------------------------------------- programmatic API

  /** Stores a config as a console publish would; returns true when its md5 changed. */
  publish(dataId: string, group: string, content: string, tenant = '', type = 'text'): boolean {
    return this.put(dataId, group, this.namespaceOf(tenant), content, type);
  }

  /** Deletes a config; returns true when it existed. */
  remove(dataId: string, group: string, tenant = ''): boolean {
    return this.delete(storeKey(dataId, group, this.namespaceOf(tenant)));
  }

  get(dataId: string, group: string, tenant = ''): StoredConfig | undefined {
    const config = this.store.get(storeKey(dataId, group, this.namespaceOf(tenant)));
    return config && { ...config };
  }

  setFault(fault: NacosFault | null): void {
    this.fault = fault;
    if (fault?.kind === 'reset') {
      for (const poll of [...this.held]) this.dropPoll(poll);
    }
  }

  // ----------------------------------------------------------- introspection

  get requests(): readonly LoggedRequest[] {
    return this.log;
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  get heldPollCount(): number {
    return this.held.size;
  }

  requestCount(filter?: RequestFilter): number {
    if (!filter) return this.log.length;
    return this.log.filter((entry) => matches(entry, filter)).length;
  }

  /** Resolves once at least `n` listener requests are being held. */
  waitForHeldPolls(n: number, timeoutMs = 5_000): Promise<void> {
    return this.waitFor(() => this.held.size >= n, timeoutMs, `${n} held poll(s)`);
  }

  /** Resolves once no listener request is held (answered, or its client left). */
  waitForNoHeldPolls(timeoutMs = 5_000): Promise<void> {
    return this.waitFor(() => this.held.size === 0, timeoutMs, 'no held polls');
  }

  /** Resolves once `count` answered requests match the filter. */
  waitForRequests(filter: RequestFilter, count = 1, timeoutMs = 5_000): Promise<void> {
    const answered = (entry: LoggedRequest): boolean =>
      entry.status !== 0 && matches(entry, filter);
    return this.waitFor(
      () => this.log.filter(answered).length >= count,
      timeoutMs,
      `${count} matching request(s)`,
    );
  }

  /**
   * Resolves once the registered instances of `service` (`name` in DEFAULT_GROUP, or
   * `group@@name`), healthy or not, satisfy `condition`. Expiry is a matter of time, so the
   * condition is also checked on a short tick.
   */
  async waitForInstances(
    service: string,
    condition: (instances: RegisteredInstance[]) => boolean,
    timeoutMs = 5_000,
  ): Promise<RegisteredInstance[]> {
    const qualified = service.includes('@@') ? service : `DEFAULT_GROUP@@${service}`;
    const current = () => this.naming.snapshot().filter((entry) => entry.service === qualified);
    const tick = setInterval(() => this.changed(), 50);
    try {
      await this.waitFor(() => condition(current()), timeoutMs, `instances of ${service}`);
    } finally {
      clearInterval(tick);
    }
    return current();
  }

  private waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`NacosTestServer: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('state', check);
      };
      this.events.on('state', check);
    });
  }

  private changed(): void {
    this.events.emit('state');
  }

  // ------------------------------------------------------------------ store

  private namespaceOf(tenant: string): string {
    // 3.x NamespaceUtil.processNamespaceParameter maps a blank tenant to `public`.
    return this.namespaces3x && tenant.trim() === '' ? 'public' : tenant;
  }

  private put(
    dataId: string,
    group: string,
    tenant: string,
    content: string,
    type: string,
  ): boolean {
    const key = storeKey(dataId, group, tenant);
    const md5 = md5Hex(content);
    const previous = this.store.get(key);
    if (previous && previous.md5 === md5) {
      // ConfigCacheService.updateMd5: same md5, no LocalDataChangeEvent, no new lastModified.
      this.store.set(key, { ...previous, type });
      return false;
    }
    this.store.set(key, { content, md5, type, lastModified: this.now() });
    this.notify(key);
    return true;
  }

  private delete(key: string): boolean {
    if (!this.store.delete(key)) return false;
    this.notify(key);
    return true;
  }

  private serverMd5(key: string): string {
    return this.store.get(key)?.md5 ?? '';
  }

  /** LongPollingService.DataChangeTask: answer only the held polls that watch this key. */
  private notify(key: string): void {
    for (const poll of [...this.held]) {
      const listened = poll.keys.get(key);
      if (listened) this.answerPoll(poll, changeBody([listened]), true);
    }
  }

  // ---------------------------------------------------------------- requests

  private handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://nacos.invalid');
    const path = url.pathname;
    const inContext = path.startsWith(`${this.contextPath}/`);
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path,
      route: inContext ? path.slice(this.contextPath.length) : '',
      params: redact(new Map(url.searchParams)),
      status: 0,
      time: Date.now(),
      client: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`,
    };
    this.log.push(entry);
    let reported = false;
    res.on('close', () => {
      if (reported) return;
      reported = true;
      this.onRequest?.(entry);
      this.changed();
    });
    if (this.stopping) {
      req.socket.destroy();
      return;
    }
    this.route(req, res, url, entry).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.sendText(res, entry, 500, `caused: ${message};`);
    });
  }

  private async route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    entry: LoggedRequest,
  ): Promise<void> {
    const latency = this.fault?.kind === 'latency' ? this.fault.ms : 0;
    if (latency > 0) await this.delay(latency);
    if (res.destroyed) return;
    if (this.fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }

    const body = await readBody(req);
    const params = parseParams(url.searchParams, req.headers['content-type'], body);
    entry.params = redact(params);
    if (res.destroyed) return;

    const { route, method } = entry;
    const known =
      (route === ROUTE_CONFIGS && ['GET', 'POST', 'DELETE'].includes(method)) ||
      (route === ROUTE_LISTENER && method === 'POST') ||
      (LOGIN_ROUTES.has(route) && method === 'POST') ||
      (NAMING_ROUTES[route]?.includes(method) ?? false);
    const v1 = route.startsWith('/v1/');

    if (this.fault?.kind === 'notFound404' && v1) {
      this.sendSpringError(res, entry, 404, 'No message available');
      return;
    }
    if (this.fault?.kind === 'gone410' && v1) {
      this.sendGone(res, entry);
      return;
    }
    // DEVIATION: a known path with another method is 404 here (Spring answers 405).
    if (!known) {
      this.sendSpringError(res, entry, 404, 'No message available');
      return;
    }
    if (this.fault?.kind === 'status' && faultApplies(this.fault.routes ?? 'all', route)) {
      this.sendFaultStatus(res, entry, this.fault.status);
      return;
    }

    if (LOGIN_ROUTES.has(route)) {
      this.login(res, entry, params);
      return;
    }
    if (this.auth) {
      const denied = this.checkAccess(req, params);
      if (denied) {
        this.sendSpringError(res, entry, 403, denied);
        return;
      }
    }

    if (NAMING_ROUTES[route]) {
      this.answerNaming(res, entry, route, params);
      return;
    }

    try {
      if (route === ROUTE_LISTENER) {
        this.listen(req, res, entry, params);
      } else if (method === 'GET') {
        this.getConfig(res, entry, params);
      } else if (method === 'POST') {
        this.publishConfig(req, res, entry, params);
      } else {
        this.deleteConfig(res, entry, params);
      }
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      // GlobalExceptionHandler: plain text `caused: <message>;`.
      this.sendText(res, entry, 400, `caused: ${err.message};`);
    }
  }

  private answerNaming(
    res: http.ServerResponse,
    entry: LoggedRequest,
    route: string,
    params: Params,
  ): void {
    try {
      if (route === '/v1/ns/instance/beat') {
        this.sendJson(res, entry, 200, this.naming.beat(params));
      } else if (route === '/v1/ns/instance/list') {
        this.sendJson(res, entry, 200, this.naming.list(params));
      } else if (entry.method === 'POST') {
        this.sendText(res, entry, 200, this.naming.register(params));
      } else {
        this.sendText(res, entry, 200, this.naming.deregister(params));
      }
    } catch (err) {
      if (!(err instanceof NamingError) && !(err instanceof SyntaxError)) throw err;
      this.sendText(res, entry, 400, `caused: ${err.message};`);
    }
    this.changed();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.add(timer);
    });
  }

  // ------------------------------------------------------------- config API

  private getConfig(res: http.ServerResponse, entry: LoggedRequest, params: Params): void {
    const dataId = required(params, 'dataId');
    const group = required(params, 'group');
    const tenant = params.get('tenant') ?? '';
    const tag = params.get('tag') ?? '';
    checkTenant(tenant);
    checkNames(dataId, group);
    checkTag(tag);
    const config = this.store.get(storeKey(dataId, group, this.namespaceOf(tenant)));
    // Tag (gray) configs are never stored here, so a tagged read finds nothing, as on a server
    // without that tag.
    if (!config || tag.trim() !== '') {
      this.sendText(res, entry, 404, 'config data not exist\n');
      return;
    }
    this.send(res, entry, 200, {
      headers: {
        'Config-Type': config.type,
        'Content-MD5': config.md5,
        Pragma: 'no-cache',
        Expires: EPOCH_HTTP_DATE,
        'Cache-Control': 'no-cache,no-store',
        'Last-Modified': new Date(config.lastModified).toUTCString(),
        'Content-Type': contentTypeOf(config.type),
      },
      body: config.content,
    });
  }

  private publishConfig(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: LoggedRequest,
    params: Params,
  ): void {
    const dataId = required(params, 'dataId');
    const group = required(params, 'group');
    const content = required(params, 'content');
    const tenant = params.get('tenant') ?? '';
    const tag = params.get('tag') ?? '';
    const rawType = params.get('type') ?? '';
    const type = CONFIG_TYPES.has(rawType) ? rawType : 'text';
    checkTenant(tenant);
    checkNames(dataId, group);
    if (content.trim() === '') throw new BadRequest(`content is blank : ${content}`);
    if (content.length > MAX_CONTENT_LEN) {
      throw new BadRequest(`invalid content, over ${MAX_CONTENT_LEN}`);
    }
    checkTag(tag);
    const betaIps = req.headers['betaips'];
    if (tag.trim() !== '' || (typeof betaIps === 'string' && betaIps.trim() !== '')) {
      // DEVIATION: tag and beta (gray) publishing are not emulated; refuse loudly.
      throw new BadRequest('tag/beta publish is not supported by NacosTestServer');
    }
    this.put(dataId, group, this.namespaceOf(tenant), content, type);
    this.sendJson(res, entry, 200, 'true');
  }

  private deleteConfig(res: http.ServerResponse, entry: LoggedRequest, params: Params): void {
    const dataId = required(params, 'dataId');
    const group = required(params, 'group');
    const tenant = params.get('tenant') ?? '';
    const tag = params.get('tag') ?? '';
    checkTenant(tenant);
    checkNames(dataId, group);
    checkTag(tag);
    // A tagged delete removes only that (never stored) tag config.
    if (tag.trim() === '') this.delete(storeKey(dataId, group, this.namespaceOf(tenant)));
    this.sendJson(res, entry, 200, 'true');
  }

  // --------------------------------------------------------------- listener

  private listen(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: LoggedRequest,
    params: Params,
  ): void {
    const probe = params.get('Listening-Configs') ?? '';
    if (probe.trim() === '') throw new BadRequest('invalid probeModify');
    let keys: Map<string, ListenKey>;
    try {
      // ConfigController.listener URL-decodes the form value a second time.
      keys = this.parseListeningConfigs(javaUrlDecode(probe));
    } catch {
      throw new BadRequest('invalid probeModify');
    }

    const reported = new Map<string, string>();
    for (const key of keys.values()) reported.set(groupKey(key), key.md5);
    this.lastMd5ByClient.set(entry.client, reported);

    const changed = [...keys.values()].filter((key) => key.md5 !== this.serverMd5(key.storeKey));
    const timeoutHeader = req.headers['long-pulling-timeout'];
    const noHangup = req.headers['long-pulling-timeout-no-hangup'] === 'true';
    if (timeoutHeader === undefined || changed.length > 0 || noHangup) {
      // Short poll, a changed md5, or a no-hang-up probe: answer at once.
      // DEVIATION (short poll only): the change list always goes in the body; a real server
      // puts it in Probe-Modify-Response headers for some client versions.
      this.send(res, entry, 200, {
        headers: noCacheHeaders(),
        body: changed.length > 0 ? changeBody(changed) : '',
      });
      return;
    }

    const headerMs = Number.parseInt(String(timeoutHeader), 10);
    const holdMs = this.holdMsFor(Number.isFinite(headerMs) ? headerMs : 30_000);
    if (res.destroyed || this.stopping) return;
    const poll: HeldPoll = {
      res,
      entry,
      keys,
      // Timeout: 200 with an empty body and no extra headers (ClientLongPolling.sendResponse(null)).
      timer: setTimeout(() => this.answerPoll(poll, '', false), holdMs),
    };
    this.held.add(poll);
    // res 'close', not req 'close': the latter fires once the body has been read.
    res.on('close', () => {
      if (this.held.delete(poll)) {
        clearTimeout(poll.timer);
        this.changed();
      }
    });
    this.changed();
  }

  private parseListeningConfigs(probe: string): Map<string, ListenKey> {
    const keys = new Map<string, ListenKey>();
    // MD5Util.getClientMd5Map: a record ends at \u0001; text after the last one is ignored.
    const records = probe.split(LINE_SEP).slice(0, -1);
    for (const record of records) {
      const fields = record.split(WORD_SEP);
      if (fields.length !== 3 && fields.length !== 4) {
        throw new Error(`bad Listening-Configs record: ${fields.length} fields`);
      }
      const [dataId, group, md5, tenant = ''] = fields as [string, string, string, string?];
      const key = storeKey(dataId, group, this.namespaceOf(tenant));
      keys.set(key, { storeKey: key, dataId, group, tenant, md5 });
      if (keys.size > MAX_LISTEN_KEYS) throw new Error('too many listening keys');
    }
    return keys;
  }

  private answerPoll(poll: HeldPoll, body: string, withHeaders: boolean): void {
    if (!this.held.delete(poll)) return;
    clearTimeout(poll.timer);
    this.send(poll.res, poll.entry, 200, { headers: withHeaders ? noCacheHeaders() : {}, body });
    this.changed();
  }

  private dropPoll(poll: HeldPoll): void {
    if (!this.held.delete(poll)) return;
    clearTimeout(poll.timer);
    poll.res.socket?.destroy();
    this.changed();
  }

  // -------------------------------------------------------------------- auth

  /** Returns the AuthFilter message for a refused request, or undefined when allowed. */
  private checkAccess(req: http.IncomingMessage, params: Params): string | undefined {
    const auth = this.auth;
    if (!auth) return undefined;
    const header = req.headers.authorization;
    const token =
      typeof header === 'string' && header.startsWith('Bearer ')
        ? header.slice('Bearer '.length)
        : (params.get('accessToken') ?? '');
    if (token.trim() !== '') {
      const problem = this.verifyToken(token);
      if (problem) return problem;
    } else if (!this.credentialsMatch(params.get('username'), params.get('password'))) {
      return 'user not found!';
    }
    const tenant = params.get('tenant') ?? '';
    if (auth.deniedNamespaces?.includes(this.namespaceOf(tenant))) return 'authorization failed!';
    return undefined;
  }

  private credentialsMatch(username: string | undefined, password: string | undefined): boolean {
    const auth = this.auth;
    if (!auth || !username || !password) return false;
    return username === auth.username && sameSecret(password, auth.password);
  }

  private login(res: http.ServerResponse, entry: LoggedRequest, params: Params): void {
    // Without an auth section there are no users at all.
    if (!this.auth || !this.credentialsMatch(params.get('username'), params.get('password'))) {
      this.sendText(res, entry, 403, 'user not found!');
      return;
    }
    const ttl = this.auth.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    const token = this.signToken(this.auth.username, ttl);
    const body = JSON.stringify({
      accessToken: token,
      tokenTtl: ttl,
      globalAdmin: true,
      username: this.auth.username,
    });
    this.send(res, entry, 200, {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body,
    });
  }

  /** An HS256 JWT like the default auth plugin's: `{"sub":user,"exp":seconds}`. */
  private signToken(username: string, ttlSeconds: number): string {
    const header = base64Url(JSON.stringify({ alg: 'HS256' }));
    const exp = Math.floor(this.now() / 1000) + ttlSeconds;
    const payload = base64Url(JSON.stringify({ sub: username, exp }));
    const signature = createHmac('sha256', this.tokenSecret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  private verifyToken(token: string): string | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return 'token invalid!';
    const [header, payload, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.tokenSecret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    if (!sameSecret(signature, expected)) return 'token invalid!';
    let claims: { sub?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'token invalid!';
    }
    if (typeof claims.exp !== 'number' || claims.sub !== this.auth?.username) {
      return 'token invalid!';
    }
    if (this.now() > claims.exp * 1000) return 'token expired!';
    return undefined;
  }

  // --------------------------------------------------------------- faults

  private sendFaultStatus(res: http.ServerResponse, entry: LoggedRequest, status: number): void {
    switch (status) {
      case 403:
        this.sendSpringError(res, entry, 403, 'user not found!');
        return;
      case 409:
        this.sendText(res, entry, 409, 'requested file is being modified, please try later.\n');
        return;
      case 503:
        this.sendText(res, entry, 503, 'server is DOWN now, please try again later!');
        return;
      default:
        this.sendText(res, entry, status, 'caused: injected fault;');
    }
  }

  private sendGone(res: http.ServerResponse, entry: LoggedRequest): void {
    // ApiCompatibilityFilter.responseReject: a v2 Result naming the switch.
    // DEVIATION: the Result is the whole body (sendError may wrap it in Spring's error JSON),
    // and the code is 410 because ErrorCode.API_DEPRECATED's number was not verified.
    const message =
      'Current API will be deprecated, please use API(s) `/v3/client/cs/config` instead, ' +
      'or set `nacos.core.api.compatibility.client.enabled=true` in application.properties.';
    this.sendJson(res, entry, 410, JSON.stringify({ code: 410, message, data: null }));
  }

  // ---------------------------------------------------------------- output

  private sendSpringError(
    res: http.ServerResponse,
    entry: LoggedRequest,
    status: 403 | 404,
    message: string,
  ): void {
    const body = JSON.stringify({
      timestamp: new Date().toISOString().replace('Z', '+00:00'),
      status,
      error: status === 403 ? 'Forbidden' : 'Not Found',
      message,
      path: entry.path,
    });
    this.sendJson(res, entry, status, body);
  }

  private sendText(res: http.ServerResponse, entry: LoggedRequest, status: number, body: string) {
    this.send(res, entry, status, {
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body,
    });
  }

  private sendJson(res: http.ServerResponse, entry: LoggedRequest, status: number, body: string) {
    this.send(res, entry, status, { headers: { 'Content-Type': 'application/json' }, body });
  }

  private send(
    res: http.ServerResponse,
    entry: LoggedRequest,
    status: number,
    out: { headers: Record<string, string>; body: string },
  ): void {
    if (res.destroyed || res.writableEnded) return;
    const payload = Buffer.from(out.body, 'utf8');
    res.writeHead(status, { ...out.headers, 'Content-Length': String(payload.length) });
    res.end(payload);
    entry.status = status;
    this.changed();
  }
}

// ------------------------------------------------------------------ helpers

function normalizeContextPath(contextPath: string): string {
  const trimmed = contextPath.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

function storeKey(dataId: string, group: string, tenant: string): string {
  return JSON.stringify([tenant, group, dataId]);
}

/** GroupKey2 style: `dataId+group[+tenant]`. */
function groupKey(key: { dataId: string; group: string; tenant: string }): string {
  return key.tenant ? `${key.dataId}+${key.group}+${key.tenant}` : `${key.dataId}+${key.group}`;
}

function md5Hex(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

function noCacheHeaders(): Record<string, string> {
  return { Pragma: 'no-cache', Expires: EPOCH_HTTP_DATE, 'Cache-Control': 'no-cache,no-store' };
}

/** FileTypeEnum content types. */
function contentTypeOf(type: string): string {
  switch (type) {
    case 'json':
      return 'application/json;charset=UTF-8';
    case 'xml':
      return 'application/xml;charset=UTF-8';
    case 'html':
      return 'text/html;charset=UTF-8';
    default:
      return 'text/plain;charset=UTF-8';
  }
}

/** MD5Util.compareMd5ResultString: URLEncoder-encoded keys, then println's newline. */
function changeBody(keys: ListenKey[]): string {
  const raw = keys
    .map((key) =>
      key.tenant.trim() !== ''
        ? `${key.dataId}${WORD_SEP}${key.group}${WORD_SEP}${key.tenant}${LINE_SEP}`
        : `${key.dataId}${WORD_SEP}${key.group}${LINE_SEP}`,
    )
    .join('');
  return `${javaUrlEncode(raw)}\n`;
}

/** java.net.URLEncoder (UTF-8): keeps `A-Za-z0-9.-*_`, space becomes `+`. */
export function javaUrlEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9.*_-]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder (UTF-8): `+` is a space; a malformed escape throws. */
export function javaUrlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '+') {
      bytes.push(0x20);
    } else if (char === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`illegal escape at ${i}`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      const code = text.codePointAt(i) as number;
      const encoded = Buffer.from(String.fromCodePoint(code), 'utf8');
      bytes.push(...encoded);
      if (code > 0xffff) i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Servlet getParameter: query string first, then a form body; the first value wins. */
function parseParams(
  query: URLSearchParams,
  contentType: string | undefined,
  body: string,
): Params {
  const params: Params = new Map();
  for (const [name, value] of query) if (!params.has(name)) params.set(name, value);
  const isForm = !contentType || contentType.includes('application/x-www-form-urlencoded');
  if (isForm && body !== '') {
    for (const [name, value] of new URLSearchParams(body)) {
      if (!params.has(name)) params.set(name, value);
    }
  }
  return params;
}

function redact(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = REDACTED_PARAMS.has(name) ? '***' : value;
  return out;
}

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) {
    // Spring's MissingServletRequestParameterException text.
    throw new BadRequest(
      `Required request parameter '${name}' for method parameter type String is not present`,
    );
  }
  return value;
}

function checkTenant(tenant: string): void {
  if (tenant.trim() === '') return;
  if (!VALID_NAME.test(tenant.trim())) throw new BadRequest('invalid tenant');
  if (tenant.length > MAX_TENANT_LEN) throw new BadRequest('too long tenant, over 128');
}

function checkNames(dataId: string, group: string): void {
  if (dataId.trim() === '' || !VALID_NAME.test(dataId.trim())) {
    throw new BadRequest(`invalid dataId : ${dataId}`);
  }
  if (group.trim() === '' || !VALID_NAME.test(group)) {
    throw new BadRequest(`invalid group : ${group}`);
  }
}

function checkTag(tag: string): void {
  if (tag.trim() === '') return;
  if (!VALID_NAME.test(tag.trim())) throw new BadRequest('invalid tag');
  if (tag.length > MAX_TAG_LEN) throw new BadRequest('too long tag, over 16');
}

function faultApplies(routes: FaultRoutes, route: string): boolean {
  switch (routes) {
    case 'all':
      return true;
    case 'configs':
      return route === ROUTE_CONFIGS;
    case 'listener':
      return route === ROUTE_LISTENER;
  }
}

function matches(entry: LoggedRequest, filter: RequestFilter): boolean {
  if (typeof filter === 'function') return filter(entry);
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.path !== undefined && entry.path !== filter.path && entry.route !== filter.path) {
    return false;
  }
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  return true;
}
