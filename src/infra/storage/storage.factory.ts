import { isDeepStrictEqual } from 'node:util';
import { withTimeout } from '@/common/with-timeout';
import type { AppConfig } from '@/config/schema';
import { LocalStorage } from './local.storage';
import type { S3Storage } from './s3.storage';
import type { StorageBackend, StoragePort } from './storage.port';

export type StorageConfig = AppConfig['storage'];

/** The backends of one configuration: the default for new files and every usable one. */
export interface StorageSet {
  defaultBackend: StorageBackend;
  adapters: Map<StorageBackend, StoragePort>;
  /** The config each adapter was built from, to keep an unchanged one across a reload. */
  built: Map<StorageBackend, unknown>;
}

function enabledBackends(config: StorageConfig): Map<StorageBackend, unknown> {
  const backends = new Map<StorageBackend, unknown>([['local', config.local]]);
  if (config.s3.enabled) backends.set('s3', config.s3);
  return backends;
}

function build(backend: StorageBackend, config: StorageConfig): StoragePort {
  switch (backend) {
    case 'local':
      return new LocalStorage(config.local.root);
    case 's3': {
      // The AWS SDK loads only when an S3 backend is enabled (and then at start, with its probe).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const s3 = require('./s3.storage') as { S3Storage: typeof S3Storage };
      return new s3.S3Storage(config.s3);
    }
  }
}

/**
 * The backends of `config`, each new one built and probed (an object written, read back and
 * deleted); those of `reuse` whose config did not change are kept as they are. Throws, having
 * closed what it built, unless every new backend can serve.
 */
export async function openStorage(config: StorageConfig, reuse?: StorageSet): Promise<StorageSet> {
  const adapters = new Map<StorageBackend, StoragePort>();
  const fresh: StoragePort[] = [];
  const built = enabledBackends(config);
  for (const [backend, settings] of built) {
    const kept = reuse?.adapters.get(backend);
    if (kept && isDeepStrictEqual(reuse?.built.get(backend), settings)) {
      adapters.set(backend, kept);
    } else {
      const adapter = build(backend, config);
      adapters.set(backend, adapter);
      fresh.push(adapter);
    }
  }
  const probes = await Promise.allSettled(
    fresh.map((adapter) =>
      withTimeout(adapter.probe(), config.probeTimeoutMs, `${adapter.label}: probe timed out`),
    ),
  );
  const failures = probes.flatMap((result) =>
    result.status === 'rejected' ? [(result.reason as Error).message] : [],
  );
  if (failures.length) {
    await Promise.allSettled(fresh.map((adapter) => adapter.close()));
    throw new Error(failures.join('; '));
  }
  return { defaultBackend: config.default, adapters, built };
}

/** Closes the adapters of `set` that `keep` does not use. */
export async function closeStorage(set: StorageSet, keep?: StorageSet): Promise<void> {
  const kept = new Set(keep?.adapters.values() ?? []);
  await Promise.allSettled(
    [...set.adapters.values()].filter((adapter) => !kept.has(adapter)).map((a) => a.close()),
  );
}

export function describeStorage(set: StorageSet): string {
  return [...set.adapters.values()]
    .map((adapter) =>
      adapter.backend === set.defaultBackend ? `${adapter.label} (default)` : adapter.label,
    )
    .join(', ');
}
