import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '../../..');

describe('docker stack', () => {
  it('parses, pins released image tags, and matches the app config (check-docker)', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts/check-docker.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /\d+ passed, 0 failed/);
  });
});
