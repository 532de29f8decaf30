import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';

interface BundleScript {
  trimSourceMap(map: SourceMapPayload): SourceMapPayload;
}

const SCRIPT = join(__dirname, '../../../scripts/bundle.mjs');

/** How many positions a map holds (its segments). */
function positionCount(map: SourceMapPayload): number {
  return map.mappings.split(/[;,]/).filter(Boolean).length;
}

/**
 * The start-up bundle's source map (scripts/bundle.mjs) is cut to what stack traces need, on an
 * esbuild bundle of our own files with a package's code between them.
 */
describe("the start-up bundle's source map", () => {
  let directory: string;
  let full: SourceMapPayload;
  let trimmed: SourceMapPayload;
  /** Every [line, column] of the bundle's code. */
  let everywhere: [number, number][];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'msproject-map-'));
    await mkdir(join(directory, 'node_modules/helper'), { recursive: true });
    await writeFile(
      join(directory, 'node_modules/helper/index.js'),
      [
        'exports.twice = function twice(value) {',
        '  const doubled = value * 2;',
        '  return [doubled, String(doubled)].join(":");',
        '};',
      ].join('\n'),
    );
    // Ours, the package's, then ours again: esbuild writes each module after those it requires,
    // so the package's code sits between two files of ours in the bundle.
    for (const name of ['first', 'second']) {
      await writeFile(
        join(directory, `${name}.js`),
        [
          `exports.${name} = function ${name}(input) {`,
          '  const total = String(input).length + 1;',
          `  if (total > 100) throw new Error("${name}: too long");`,
          '  return { total, text: String(total).padStart(4, "0") };',
          '};',
        ].join('\n'),
      );
    }
    await writeFile(
      join(directory, 'main.js'),
      [
        'const { first } = require("./first");',
        'const { twice } = require("helper");',
        'const { second } = require("./second");',
        'console.log(first(2), twice(3), second(4));',
      ].join('\n'),
    );
    await build({
      entryPoints: [join(directory, 'main.js')],
      outfile: join(directory, 'out.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
    full = JSON.parse(await readFile(join(directory, 'out.js.map'), 'utf8')) as SourceMapPayload;
    everywhere = (await readFile(join(directory, 'out.js'), 'utf8'))
      .split('\n')
      .flatMap((text, line) => [...text].map((_, column): [number, number] => [line, column]));
    const script = (await import(SCRIPT)) as BundleScript;
    trimmed = script.trimSourceMap(full);
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps, for every position in our files, the file and line it came from', () => {
    const before = new SourceMap(full);
    const after = new SourceMap(trimmed);
    let ours = 0;
    for (const [line, column] of everywhere) {
      const was = before.findEntry(line, column) as {
        originalSource?: string;
        originalLine?: number;
      };
      if (!was.originalSource || was.originalSource.includes('node_modules/')) continue;
      ours++;
      const is = after.findEntry(line, column) as {
        originalSource?: string;
        originalLine?: number;
      };
      assert.deepEqual(
        [is.originalSource, is.originalLine],
        [was.originalSource, was.originalLine],
        `generated ${line}:${column}`,
      );
    }
    assert.ok(ours > 10, `${ours} positions of ours`);
  });

  it("names no file of ours for a package's code, nor for esbuild's own", () => {
    const before = new SourceMap(full);
    const after = new SourceMap(trimmed);
    let theirs = 0;
    for (const [line, column] of everywhere) {
      const was = before.findEntry(line, column) as { originalSource?: string };
      if (was.originalSource && !was.originalSource.includes('node_modules/')) continue;
      theirs++;
      assert.equal(
        (after.findEntry(line, column) as { originalSource?: string }).originalSource,
        undefined,
        `generated ${line}:${column}`,
      );
    }
    assert.ok(theirs > 5, `${theirs} positions in the package`);
  });

  it('holds fewer positions than the full map and no names', () => {
    assert.ok(positionCount(trimmed) < positionCount(full));
    assert.equal((trimmed as { names?: unknown }).names, undefined);
    assert.deepEqual(trimmed.sources, full.sources);
  });
});
