import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LocalStorageNeighbours } from '@/infra/storage/local-storage-neighbours';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { createTestBucket } from '../support/s3';

const WARNING = /local disk, but it is not the only instance/;
const warnings = (app: TestApp) =>
  app.logs.entries().filter((entry) => WARNING.test(String(entry.msg))).length;

describe('local storage with more than one instance', () => {
  let first: TestApp;
  let second: TestApp;
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;

  before(async () => {
    bucket = await createTestBucket();
    // Two instances of one deployment: they share Redis (one key prefix), each on local disk.
    const redis = { keyPrefix: `neighbours-${randomBytes(4).toString('hex')}:` };
    const config = { redis, storage: { s3: bucket.config } };
    first = await startTestApp({ config });
    second = await startTestApp({ config });
  });

  after(async () => {
    await second?.close();
    await first?.close();
    await bucket?.drop();
  });

  it('warns on each instance that writes to its local disk while another instance runs', async () => {
    await second.logs.waitFor((entry) => WARNING.test(String(entry.msg)));
    assert.equal(await first.app.get(LocalStorageNeighbours).check(), 2);
    assert.equal(warnings(first), 1);
    // Once per stretch of sharing, not at every check.
    await first.app.get(LocalStorageNeighbours).check();
    assert.equal(warnings(first), 1);
  });

  it('stays quiet on an instance whose new files go to shared object storage', async () => {
    await reconfigure(first, { storage: { default: 's3' } });
    await reconfigure(second, { storage: { default: 's3' } });
    const before = [warnings(first), warnings(second)];
    assert.equal(await first.app.get(LocalStorageNeighbours).check(), 2);
    assert.equal(await second.app.get(LocalStorageNeighbours).check(), 2);
    assert.deepEqual([warnings(first), warnings(second)], before);
  });

  it('stays quiet when the other instance has left', async () => {
    await reconfigure(first, { storage: { default: 'local' } });
    await second.close();
    assert.equal(await first.app.get(LocalStorageNeighbours).check(), 1);
    const count = warnings(first);
    await first.app.get(LocalStorageNeighbours).check();
    assert.equal(warnings(first), count);
  });
});
