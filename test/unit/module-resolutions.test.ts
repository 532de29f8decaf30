import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installResolutionCache } from '@/module-resolutions';

type ResolveFilename = (
  request: string,
  parent: Module,
  isMain: boolean,
  options?: object,
) => string;
const internals = Module as unknown as { _resolveFilename: ResolveFilename };

describe('the module resolution cache', () => {
  let root: string;
  let parent: Module;
  let file: string;
  /** What Node resolves, with nothing installed. */
  let nodes: { pkg: string; sibling: string };

  const resolveFrom = (request: string, options?: object) =>
    internals._resolveFilename(request, parent, false, options);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'msproject-resolutions-'));
    await mkdir(join(root, 'node_modules/pkg/lib'), { recursive: true });
    await writeFile(
      join(root, 'node_modules/pkg/package.json'),
      JSON.stringify({ name: 'pkg', main: 'lib/entry.js' }),
    );
    await writeFile(join(root, 'node_modules/pkg/lib/entry.js'), '');
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'src/sibling.js'), '');
    const from = join(root, 'src/app.js');
    parent = new Module(from);
    parent.filename = from;
    parent.paths = (
      Module as unknown as { _nodeModulePaths(dir: string): string[] }
    )._nodeModulePaths(join(root, 'src'));
    file = join(root, 'cache/resolutions.json');
    nodes = { pkg: resolveFrom('pkg'), sibling: resolveFrom('./sibling') };
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("answers what Node answers, saves it, and puts Node's resolution back when finished", async () => {
    const original = internals._resolveFilename;
    const cache = installResolutionCache({ file, fingerprint: 'one' });
    assert.notEqual(internals._resolveFilename, original, 'looking up while starting');
    assert.equal(resolveFrom('pkg'), nodes.pkg);
    assert.equal(resolveFrom('./sibling'), nodes.sibling);
    assert.equal(resolveFrom('pkg'), nodes.pkg);
    assert.deepEqual([cache.cached, cache.resolved], [1, 2]);
    cache.finish();
    assert.equal(internals._resolveFilename, original);
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      fingerprint: string;
      directories: Record<string, Record<string, string>>;
    };
    assert.equal(saved.fingerprint, 'one');
    assert.deepEqual(saved.directories[join(root, 'src')], {
      pkg: nodes.pkg,
      './sibling': nodes.sibling,
    });
  });

  it('answers from the file under the same fingerprint, and resolves anew under another', async () => {
    const elsewhere = join(root, 'elsewhere.js');
    await writeFile(
      file,
      JSON.stringify({
        fingerprint: 'two',
        directories: { [join(root, 'src')]: { pkg: elsewhere } },
      }),
    );
    const same = installResolutionCache({ file, fingerprint: 'two' });
    try {
      assert.equal(resolveFrom('pkg'), elsewhere, 'from the file, not the file system');
      assert.equal(resolveFrom('./sibling'), nodes.sibling);
      assert.deepEqual([same.cached, same.resolved], [1, 1]);
    } finally {
      same.finish();
    }
    assert.equal(resolveFrom('pkg'), nodes.pkg, 'once finished, Node resolves');

    const other = installResolutionCache({ file, fingerprint: 'three' });
    try {
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.deepEqual([other.cached, other.resolved], [0, 1]);
    } finally {
      other.finish();
    }
  });

  it('leaves built-in modules and requests with options to Node, and an unreadable file unused', async () => {
    await writeFile(file, '{ not json');
    const cache = installResolutionCache({ file, fingerprint: 'one' });
    try {
      assert.equal(resolveFrom('node:fs'), 'node:fs');
      assert.equal(resolveFrom('fs'), 'fs');
      assert.equal(resolveFrom('pkg', { paths: [root] }), nodes.pkg);
      assert.deepEqual([cache.cached, cache.resolved], [0, 0]);
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.deepEqual([cache.cached, cache.resolved], [0, 1]);
    } finally {
      cache.finish();
    }
  });

  it('starts and finishes where the file cannot be written, leaving nothing behind', async () => {
    const blocked = join(root, 'src/sibling.js/resolutions.json');
    const cache = installResolutionCache({ file: blocked, fingerprint: 'one' });
    assert.equal(resolveFrom('pkg'), nodes.pkg);
    assert.doesNotThrow(() => cache.finish());
    await assert.rejects(readFile(blocked), { code: 'ENOTDIR' });
  });
});
