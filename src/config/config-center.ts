import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { Subject, type Observable } from 'rxjs';
import { createLogger, type Logger } from '../logging/logger.factory';
import { configDirectory, loadBootstrap, type BootstrapConfig } from './bootstrap';
import { ConfigInvalidError } from './config-errors';
import { valueAt } from './config-paths';
import {
  ReloadHistory,
  type ConfigStatus,
  type ReloadAttempt,
  type ReloadOutcome,
} from './reload-history';
import { EmptySourceRefused, readFirstUsable, startupChain } from './source-chain';

export type { ConfigStatus, ReloadAttempt, ReloadOutcome };
import { parseConfig, type ParsedConfig } from './parse-config';
import { collectSecrets, redact } from './redact';
import { resolveEmptySecrets } from './secret-policy';
import {
  CONFIG_SECTIONS,
  RESTART_REQUIRED_PATHS,
  type AppConfig,
  type ConfigSection,
} from './schema';
import type { ConfigSourceKind } from './sources/config-source';
import { FileConfigSource } from './sources/file.source';
import { NacosConfigSource, nacosBaseUrl } from './sources/nacos.source';
import { SnapshotStore } from './sources/snapshot.store';
import type { DestinationStream } from 'pino';

export interface SectionChange<K extends ConfigSection = ConfigSection> {
  section: K;
  previous: AppConfig[K];
  current: AppConfig[K];
}

/**
 * What the owner of a section hands back after building (and probing) its new resources.
 * `commit` must not fail: it only switches references. `release` undoes a prepare that will
 * not be committed; `retire` drains and closes the old resources after the switch.
 */
export interface PreparedChange {
  commit(): void;
  release?(): Promise<void>;
  retire?(): Promise<void>;
}

export interface ReloadParticipant {
  name: string;
  sections: readonly ConfigSection[];
  prepare(next: AppConfig, previous: AppConfig): Promise<PreparedChange | undefined>;
}

export interface ConfigCenterOptions {
  /** Directory with bootstrap.yaml and config.yaml; default `config` (or $CONFIG_DIR). */
  configDir?: string;
  /** Environment for bootstrap and `APP_…` overrides; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Already-loaded bootstrap; read from configDir and env when absent. */
  bootstrap?: BootstrapConfig;
  /** Where log lines go; stdout by default. */
  logDestination?: DestinationStream;
}

/**
 * The dynamic configuration of one application instance: where it came from, what is applied,
 * and the reload pipeline (parse → validate → diff → prepare → switch → retire), one reload
 * at a time.
 */
export class ConfigCenter {
  readonly bootstrap: BootstrapConfig;
  /** Created once the first config is known: its `log` section sets format and level. */
  logger: Logger;
  private readonly env: NodeJS.ProcessEnv;
  private readonly fileSource: FileConfigSource;
  private readonly snapshot?: SnapshotStore;
  private readonly nacos?: NacosConfigSource;
  private readonly participants = new Set<ReloadParticipant>();
  private readonly changeSubject = new Subject<SectionChange>();
  private readonly attemptSubject = new Subject<ReloadAttempt>();
  private readonly retiring = new Set<Promise<void>>();
  private queue: Promise<unknown> = Promise.resolve();
  private applied: ParsedConfig & { source: ConfigSourceKind; appliedAt: string };
  private readonly history = new ReloadHistory();
  private closed = false;

  private constructor(options: ConfigCenterOptions) {
    this.env = options.env ?? process.env;
    this.bootstrap =
      options.bootstrap ?? loadBootstrap({ configDir: options.configDir, env: this.env });
    const directory = configDirectory({ configDir: options.configDir, env: this.env });
    this.fileSource = new FileConfigSource(resolve(directory, 'config.yaml'));
    const { nacos } = this.bootstrap;
    if (nacos.enabled) {
      this.snapshot = new SnapshotStore(resolve(nacos.snapshotDir), {
        server: nacosBaseUrl(nacos),
        namespace: nacos.namespace,
        group: nacos.group,
        dataId: nacos.dataId,
      });
      this.nacos = new NacosConfigSource({
        nacos,
        onError: (error) =>
          this.logger?.warn({ err: this.scrub(error.message) }, 'config center client error'),
      });
    }
    this.logDestination = options.logDestination;
  }

  private readonly logDestination?: DestinationStream;

  /** Loads the first usable config (Nacos → snapshot → file) and starts watching. */
  static async start(options: ConfigCenterOptions = {}): Promise<ConfigCenter> {
    const center = new ConfigCenter(options);
    try {
      await center.boot();
    } catch (error) {
      await center.nacos?.close();
      throw error;
    }
    return center;
  }

  get config(): AppConfig {
    return this.applied.config;
  }

  section<K extends ConfigSection>(name: K): AppConfig[K] {
    return this.applied.config[name];
  }

  get source(): ConfigSourceKind {
    return this.applied.source;
  }

  get version(): string {
    return this.applied.version;
  }

  /** Every section change, after the switch: the event stream of `ConfigService.changes$`. */
  get changes$(): Observable<SectionChange> {
    return this.changeSubject.asObservable();
  }

  /** Every reload attempt as it is recorded: applied, unchanged or rejected. */
  get attempts$(): Observable<ReloadAttempt> {
    return this.attemptSubject.asObservable();
  }

  /** Enters a reaction in every reload (see ConfigReactionsExplorer); returns its removal. */
  addParticipant(participant: ReloadParticipant): () => void {
    this.participants.add(participant);
    return () => this.participants.delete(participant);
  }

  status(): ConfigStatus {
    const { source, version, appliedAt } = this.applied;
    return this.history.status({ source, version, appliedAt });
  }

  /** Applies a document, after every reload queued before it. */
  apply(content: string | null, source: ConfigSourceKind): Promise<ReloadAttempt> {
    const run = this.queue.then(() => this.applyNow(content, source));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every reload queued so far, and every retirement it started, is done. */
  async settled(): Promise<void> {
    await this.queue;
    await Promise.allSettled([...this.retiring]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.nacos?.close();
    await this.queue;
    await Promise.allSettled([...this.retiring]);
    this.changeSubject.complete();
    this.attemptSubject.complete();
  }

  private async boot(): Promise<void> {
    const chain = startupChain({
      nacos: this.nacos,
      snapshot: this.snapshot,
      file: this.fileSource,
      required: this.bootstrap.nacos.enabled && this.bootstrap.nacos.required,
    });
    let found: Awaited<ReturnType<typeof readFirstUsable<ParsedConfig>>>;
    try {
      found = await readFirstUsable(
        chain,
        (content, kind) => this.parse(content, kind),
        (error) => this.scrub((error as Error).message),
      );
    } catch (error) {
      if (!(error instanceof EmptySourceRefused)) throw error;
      const { dataId, group, namespace } = this.bootstrap.nacos;
      throw new ConfigInvalidError(
        [`Nacos has no config ${dataId} in group ${group}, namespace '${namespace}'`],
        'config center required (nacos.required)',
      );
    }
    const { problems } = found;
    if (!('parsed' in found)) throw new ConfigInvalidError(problems, 'no usable configuration');
    this.applied = { ...found.parsed, source: found.kind, appliedAt: new Date().toISOString() };
    if (found.kind === 'nacos') await this.writeSnapshot(found.content);
    this.record({
      ok: true,
      outcome: 'applied',
      at: this.applied.appliedAt,
      source: this.applied.source,
      version: this.applied.version,
      changedSections: [...CONFIG_SECTIONS],
      restartRequired: [],
      error: problems.length ? `fell back: ${problems.join('; ')}` : undefined,
    });
    const { log } = this.applied.config;
    this.logger = createLogger({ ...log, destination: this.logDestination });
    for (const problem of problems) this.logger.warn({ problem }, 'config source skipped');
    this.logger.info(
      { source: this.applied.source, version: this.applied.version },
      'configuration loaded',
    );
    this.nacos?.watch((content) => {
      this.apply(content, 'nacos').catch((error: Error) =>
        this.logger.error({ err: this.scrub(error.message) }, 'config reload failed'),
      );
    });
  }

  private async applyNow(content: string | null, source: ConfigSourceKind): Promise<ReloadAttempt> {
    const at = new Date().toISOString();
    const base = {
      at,
      source,
      changedSections: [] as ConfigSection[],
      restartRequired: [] as string[],
    };
    if (this.closed)
      return this.record({ ...base, ok: false, outcome: 'rejected', error: 'closed' });
    if (content === null || content.trim() === '') {
      return this.reject(base, 'config was deleted or is empty; keeping the applied one');
    }
    let next: ParsedConfig;
    try {
      next = this.parse(content, source);
    } catch (error) {
      return this.reject(base, (error as Error).message);
    }
    if (next.version === this.applied.version) {
      if (source !== this.applied.source) {
        // Back on the config center after a fallback boot, with the same document.
        this.applied = { ...this.applied, source };
        if (source === 'nacos') await this.writeSnapshot(content);
      }
      return this.record({ ...base, ok: true, outcome: 'unchanged', version: next.version });
    }
    const previous = this.applied.config;
    const changed = CONFIG_SECTIONS.filter(
      (section) => !isDeepStrictEqual(previous[section], next.config[section]),
    );
    const involved = [...this.participants].filter((participant) =>
      participant.sections.some((section) => changed.includes(section)),
    );
    const prepared = await Promise.allSettled(
      involved.map((participant) =>
        Promise.resolve().then(() => participant.prepare(next.config, previous)),
      ),
    );
    const failures = prepared.flatMap((result, index) =>
      result.status === 'rejected'
        ? [`${involved[index].name}: ${(result.reason as Error)?.message ?? String(result.reason)}`]
        : [],
    );
    const ready = prepared.flatMap((result) =>
      result.status === 'fulfilled' && result.value ? [result.value] : [],
    );
    if (failures.length > 0) {
      await Promise.allSettled(ready.map((change) => change.release?.() ?? Promise.resolve()));
      return this.reject({ ...base, version: next.version }, failures.join('; '), next.config);
    }

    // The switch: synchronous, so no request sees half of it.
    for (const change of ready) change.commit();
    this.applied = { ...next, source, appliedAt: at };
    const restartRequired = RESTART_REQUIRED_PATHS.filter(
      (path) => !isDeepStrictEqual(valueAt(previous, path), valueAt(next.config, path)),
    );
    for (const section of changed) {
      this.changeSubject.next({
        section,
        previous: previous[section],
        current: next.config[section],
      });
    }
    for (const change of ready) {
      if (!change.retire) continue;
      const retirement = change
        .retire()
        .catch((error: Error) =>
          this.logger.warn({ err: this.scrub(error.message) }, 'retiring old resources failed'),
        )
        .finally(() => this.retiring.delete(retirement));
      this.retiring.add(retirement);
    }
    if (source === 'nacos') await this.writeSnapshot(content);
    if (restartRequired.length) {
      this.logger.warn({ paths: restartRequired }, 'listen address changes take effect at restart');
    }
    this.logger.info({ source, version: next.version, sections: changed }, 'configuration applied');
    return this.record({
      ...base,
      ok: true,
      outcome: 'applied',
      version: next.version,
      changedSections: changed,
      restartRequired,
    });
  }

  private reject(
    base: Omit<ReloadAttempt, 'ok' | 'outcome'>,
    message: string,
    candidate?: AppConfig,
  ): ReloadAttempt {
    const error = this.scrub(message, candidate);
    this.logger.error(
      { source: base.source, version: base.version, error },
      'configuration rejected; keeping the applied one',
    );
    return this.record({ ...base, ok: false, outcome: 'rejected', error });
  }

  private record(attempt: ReloadAttempt): ReloadAttempt {
    this.history.record(attempt);
    this.attemptSubject.next(attempt);
    return attempt;
  }

  /** The one way in for a document, at start and on reload: validated, secrets resolved. */
  private parse(content: string, source: ConfigSourceKind): ParsedConfig {
    const parsed = parseConfig(content, source, this.env);
    return {
      ...parsed,
      config: resolveEmptySecrets(parsed.config, source, this.bootstrap.nacos.enabled),
    };
  }

  private async writeSnapshot(content: string): Promise<void> {
    try {
      await this.snapshot?.write(content);
    } catch (error) {
      this.logger.warn(
        { err: (error as NodeJS.ErrnoException).code },
        'could not write the config snapshot',
      );
    }
  }

  /** Strips every secret the applied (and the candidate) config holds from a message. */
  private scrub(message: string, candidate?: AppConfig): string {
    const secrets = collectSecrets(this.applied?.config);
    if (candidate) collectSecrets(candidate, secrets);
    const password = this.bootstrap?.nacos.password;
    if (password) secrets.add(password);
    return redact(message, secrets);
  }
}
