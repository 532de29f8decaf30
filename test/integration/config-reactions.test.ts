import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { stringify } from 'yaml';
import type { PreparedChange } from '@/config/config-center';
import { ReactsToConfig, type ConfigReaction } from '@/config/config-reaction';
import type { AppConfig } from '@/config/schema';
import { mergeDeep, startTestApp, type TestApp } from '../support/app';

/** A reaction to the cache section that records what it saw, or refuses a TTL of 13. */
@Injectable()
@ReactsToConfig('cache')
class CacheWatcher implements ConfigReaction {
  readonly committed: number[] = [];

  prepare(next: AppConfig): PreparedChange {
    if (next.cache.memberTtlSeconds === 13) throw new Error('unlucky ttl');
    return { commit: () => this.committed.push(next.cache.memberTtlSeconds) };
  }
}

@Module({ providers: [CacheWatcher] })
class CacheWatcherModule {}

describe('reacting to config changes with @ReactsToConfig', () => {
  let app: TestApp;
  let watcher: CacheWatcher;

  before(async () => {
    app = await startTestApp({ imports: [CacheWatcherModule] });
    watcher = app.app.get(CacheWatcher);
  });
  after(() => app?.close());

  const publish = (patch: Record<string, unknown>) =>
    app.center.apply(stringify(mergeDeep(app.center.config, patch)), 'file');

  it('is found without registration, and commits once per change of its section only', async () => {
    assert.equal((await publish({ cache: { memberTtlSeconds: 42 } })).outcome, 'applied');
    assert.equal((await publish({ log: { level: 'debug' } })).outcome, 'applied');
    assert.deepEqual(watcher.committed, [42]);
  });

  it('rejects the whole reload when it cannot prepare, naming itself, and nothing switches', async () => {
    const attempt = await publish({ cache: { memberTtlSeconds: 13 }, log: { level: 'warn' } });
    assert.equal(attempt.outcome, 'rejected');
    assert.match(attempt.error ?? '', /CacheWatcher: unlucky ttl/);
    assert.equal(app.center.config.log.level, 'debug');
    assert.deepEqual(watcher.committed, [42]);
  });
});
