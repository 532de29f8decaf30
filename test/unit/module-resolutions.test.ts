import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  applicationResolutionCache,
  installResolutionCache,
  type ResolutionCache,
} from '@/module-resolutions';

type ResolveFilename = (
  request: string,
  parent: Module,
  isMain: boolean,
  options?: object,
) => string;
const internals = Module as unknown as {
  _resolveFilename: ResolveFilename;
  _nodeModulePaths(directory: string): string[];
};

/** A module of `directory` to resolve from, as `require` would. */
function moduleIn(directory: string): Module {
  const from = join(directory, 'app.js');
  const parent = new Module(from);
  parent.filename = from;
  parent.paths = internals._nodeModulePaths(directory);
  return parent;
}

/** Runs `body` with `cache` installed, and finishes it whatever happens. */
function using<T>(cache: ResolutionCache, body: (cache: ResolutionCache) => T): T {
  try {
    return body(cache);
  } finally {
    cache.finish();
  }
}

describe('the module resolution cache', () => {
  /** An installation: a package, and the built application beside it. */
  let root: string;
  let dist: string;
  let parent: Module;
  let file: string;
  /** What Node resolves, with nothing installed. */
  let nodes: { pkg: string; sibling: string };

  const resolveFrom = (request: string, options?: object) =>
    internals._resolveFilename(request, parent, false, options);
  const save = (fingerprint: string, answers: Record<string, unknown>) =>
    writeFile(file, JSON.stringify({ fingerprint, directories: { [dist]: answers } }), {
      mode: 0o644,
    });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'msproject-resolutions-'));
    await mkdir(join(root, 'node_modules/pkg/lib'), { recursive: true });
    await writeFile(join(root, 'node_modules/.package-lock.json'), '{}');
    await writeFile(
      join(root, 'node_modules/pkg/package.json'),
      JSON.stringify({ name: 'pkg', main: 'lib/entry.js' }),
    );
    await writeFile(join(root, 'node_modules/pkg/lib/entry.js'), '');
    dist = join(root, 'dist');
    await mkdir(dist);
    await writeFile(join(dist, 'sibling.js'), '');
    await writeFile(join(dist, 'elsewhere.js'), '');
    parent = moduleIn(dist);
    file = join(dist, '.module-resolutions.json');
    nodes = { pkg: resolveFrom('pkg'), sibling: resolveFrom('./sibling') };
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("answers what Node answers, saves it, and puts Node's resolution back when finished", async () => {
    const original = internals._resolveFilename;
    const cache = installResolutionCache({ file, fingerprint: 'one', root });
    using(cache, () => {
      assert.notEqual(internals._resolveFilename, original, 'looking up while starting');
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.equal(resolveFrom('./sibling'), nodes.sibling);
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.deepEqual([cache.cached, cache.resolved], [1, 2]);
    });
    assert.equal(internals._resolveFilename, original);
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      fingerprint: string;
      directories: Record<string, Record<string, string>>;
    };
    assert.equal(saved.fingerprint, 'one');
    assert.deepEqual(saved.directories[dist], { pkg: nodes.pkg, './sibling': nodes.sibling });
  });

  it('answers from the file under the same fingerprint, and resolves anew under another', async () => {
    const elsewhere = join(dist, 'elsewhere.js');
    await save('two', { pkg: elsewhere });
    const same = installResolutionCache({ file, fingerprint: 'two', root });
    using(same, () => {
      assert.equal(resolveFrom('pkg'), elsewhere, 'from the file, not the file system');
      assert.equal(resolveFrom('./sibling'), nodes.sibling);
      assert.deepEqual([same.cached, same.resolved], [1, 1]);
    });
    assert.equal(resolveFrom('pkg'), nodes.pkg, 'once finished, Node resolves');

    const other = installResolutionCache({ file, fingerprint: 'three', root });
    using(other, () => {
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.deepEqual([other.cached, other.resolved], [0, 1]);
    });
  });

  it('takes no answer outside the root, no file that is gone, no name that is not its own, and no file others may write', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'msproject-outside-'));
    try {
      await writeFile(join(outside, 'planted.js'), '');
      await save('four', {
        pkg: join(outside, 'planted.js'),
        './sibling': join(dist, 'gone.js'),
        './number': 42,
      });
      using(installResolutionCache({ file, fingerprint: 'four', root }), (cache) => {
        assert.equal(resolveFrom('pkg'), nodes.pkg);
        assert.equal(resolveFrom('./sibling'), nodes.sibling);
        assert.throws(() => resolveFrom('./constructor'), { code: 'MODULE_NOT_FOUND' });
        assert.throws(() => resolveFrom('./number'), { code: 'MODULE_NOT_FOUND' });
        assert.deepEqual([cache.cached, cache.resolved], [0, 2]);
      });

      await save('five', { pkg: join(dist, 'elsewhere.js') });
      await chmod(file, 0o666);
      using(installResolutionCache({ file, fingerprint: 'five', root }), (cache) => {
        assert.equal(resolveFrom('pkg'), nodes.pkg, 'a file others may write is not read');
        assert.equal(cache.cached, 0);
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('leaves built-in modules and requests with options to Node, and an unreadable file unused', async () => {
    await writeFile(file, '{ not json', { mode: 0o644 });
    using(installResolutionCache({ file, fingerprint: 'one', root }), (cache) => {
      assert.equal(resolveFrom('node:fs'), 'node:fs');
      assert.equal(resolveFrom('fs'), 'fs');
      assert.equal(resolveFrom('pkg', { paths: [root] }), nodes.pkg);
      assert.deepEqual([cache.cached, cache.resolved], [0, 0]);
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.deepEqual([cache.cached, cache.resolved], [0, 1]);
    });
  });

  it('finishes where the file cannot be replaced, leaving nothing behind', async () => {
    // A directory where the file would go: the new file is written, and cannot take its place.
    const blocked = join(root, 'blocked');
    await mkdir(join(blocked, 'inside'), { recursive: true });
    const cache = installResolutionCache({ file: blocked, fingerprint: 'one', root });
    assert.equal(resolveFrom('pkg'), nodes.pkg);
    assert.doesNotThrow(() => cache.finish());
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.startsWith('blocked')),
      ['blocked'],
    );
  });

  it("keeps the application's cache beside its build, and starts afresh when the packages or the build change", async () => {
    await rm(file, { force: true });
    const start = () => applicationResolutionCache(dist);
    assert.equal(start(), undefined, 'without a build record to tell one build from the next');
    await writeFile(join(dist, '.tsbuildinfo'), 'build 1');
    using(start()!, (cache) => {
      assert.equal(resolveFrom('pkg'), nodes.pkg);
      assert.equal(cache.resolved, 1);
    });
    assert.ok((await readFile(file, 'utf8')).includes(nodes.pkg), 'kept beside the build');
    using(start()!, (cache) => {
      resolveFrom('pkg');
      assert.deepEqual([cache.cached, cache.resolved], [1, 0], 'the same build again');
    });
    await writeFile(join(dist, '.tsbuildinfo'), 'build 2, rewritten');
    using(start()!, (cache) => {
      resolveFrom('pkg');
      assert.deepEqual([cache.cached, cache.resolved], [0, 1], 'after a build');
    });
    await writeFile(join(root, 'node_modules/.package-lock.json'), '{"packages":{}}');
    using(start()!, (cache) => {
      resolveFrom('pkg');
      assert.deepEqual([cache.cached, cache.resolved], [0, 1], 'after an install');
    });
    await rm(join(root, 'node_modules/.package-lock.json'));
    assert.equal(start(), undefined, 'without npm’s record of the installed packages');
  });
});
