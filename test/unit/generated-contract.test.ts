import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '../../..');

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();
}

describe('the generated gRPC contract', () => {
  const output = mkdtempSync(join(tmpdir(), 'msproject-proto-'));
  after(() => rmSync(output, { recursive: true, force: true }));

  it('is current: regenerating proto/ gives exactly the committed src/generated/', () => {
    const buf = join(root, 'node_modules/.bin/buf');
    const result = spawnSync(buf, ['generate', '--output', output], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const committed = join(root, 'src/generated');
    const fresh = join(output, 'src/generated');
    assert.deepEqual(filesUnder(fresh), filesUnder(committed), 'run npm run proto:generate');
    for (const file of filesUnder(fresh)) {
      assert.equal(
        readFileSync(join(fresh, file), 'utf8'),
        readFileSync(join(committed, file), 'utf8'),
        `src/generated/${file} is stale: run npm run proto:generate`,
      );
    }
  });
});
