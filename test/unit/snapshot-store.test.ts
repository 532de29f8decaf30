import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { SnapshotStore } from '@/config/sources/snapshot.store';

const key = {
  server: 'http://127.0.0.1:8848/nacos',
  namespace: 'dev',
  group: 'G',
  dataId: 'config.yaml',
};

describe('SnapshotStore', () => {
  it('reads null before anything was written', async () => {
    const store = new SnapshotStore(mkdtempSync(join(tmpdir(), 'snap-')), key);
    assert.equal(await store.read(), null);
  });

  it('writes atomically with owner-only permissions and reads it back', async () => {
    const store = new SnapshotStore(mkdtempSync(join(tmpdir(), 'snap-')), key);
    await store.write('a: 1\n');
    await store.write('a: 2\n');
    assert.equal(await store.read(), 'a: 2\n');
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dirname(store.path)), ['config.yaml']);
  });

  it('keeps the snapshots of two servers apart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'snap-'));
    const first = new SnapshotStore(directory, key);
    const second = new SnapshotStore(directory, { ...key, server: 'http://other:8848/nacos' });
    await first.write('first');
    assert.equal(await second.read(), null);
    assert.notEqual(first.path, second.path);
  });
});
