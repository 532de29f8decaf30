#!/usr/bin/env node
// The start-up bundle of a compiled tree (`npm run build` runs it on dist/ after `nest build`,
// `npm run build:test` on dist-test/src/ after tsc). The tree's main.js and every file of ours it
// loads, together with NestJS and the packages built on it, become one file, main.bundle.js,
// with a source map to our TypeScript, which start.js (src/start.ts, `npm run start:prod`)
// loads. A start then reads, resolves and links one file where it took about 450 of ours and
// about 500 ES modules of NestJS. Every other package stays in node_modules, loaded by
// `require` as before: the ones the tracing instruments (http, grpc-js, mysql2, ioredis, pino),
// the ones loaded on first use, and those whose files are stood in for (src/infra/on-demand.ts).
// The rest of the tree stays as compiled: `nest start`, `dist/migrate.js` and the tests' own
// imports use it.
//   node scripts/bundle.mjs [compiled directory, default dist]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BUNDLE = 'main.bundle.js';

const OWN_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

/** `@scope/name` or `name` of a bare request. */
function packageName(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * NestJS and what depends on it go into the bundle, so that each Nest class exists once: a
 * package that imports @nestjs/core from node_modules would bring a second copy, whose classes
 * the bundled one does not recognise (dependency injection fails on them). A package that is
 * not installed (Nest's optional ones) stays a runtime `require` that fails as it would.
 */
function inlined(name, from) {
  const manifest = installedManifest(name, from);
  if (!manifest) return false;
  if (name.startsWith('@nestjs/')) return true;
  const wanted = { ...manifest.dependencies, ...manifest.peerDependencies };
  return Object.keys(wanted).some((dependency) => dependency.startsWith('@nestjs/'));
}

/** The package.json of `name` as `require` from `from` finds it (not every package exports it). */
function installedManifest(name, from) {
  for (let directory = from; ; directory = dirname(directory)) {
    const file = join(directory, 'node_modules', name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (dirname(directory) === directory) return undefined;
  }
}

/**
 * A package's ES module as the bundle runs it. `import.meta` answers for the module's own file
 * (its url, filename, dirname and resolve), found from the bundle's directory, so that what the
 * package finds beside itself (terminus its .proto files) and what it loads are found from there
 * as before. Its own `require`, `createRequire(import.meta.url)`, is taken out: its `require`
 * calls are then the bundle's, decided as imports are. Loading from node_modules instead would
 * bring a second copy of a bundled package (terminus loads @nestjs/swagger so when the API docs
 * are first built).
 */
function withOwnLocation(source, file, directory) {
  const stripped = source.replace(OWN_REQUIRE, '');
  if (!stripped.includes('import.meta')) return stripped;
  const location = JSON.stringify(relative(directory, file));
  const meta =
    `const __importMeta = (() => {\n` +
    `  const filename = require('node:path').join(__dirname, ${location});\n` +
    `  const url = require('node:url').pathToFileURL(filename).href;\n` +
    `  const resolve = (specifier) => require('node:url').pathToFileURL(\n` +
    `    require('node:module').createRequire(filename).resolve(specifier)).href;\n` +
    `  return { url, filename, dirname: require('node:path').dirname(filename), resolve };\n` +
    `})();\n`;
  return meta + stripped.replaceAll(/\bimport\.meta\b/g, '__importMeta');
}

/**
 * How the bundle (in `directory`) requires a package it leaves outside: by name, or by path where
 * the bundled package that asks has a version of its own in a nested node_modules. `resolved`
 * keeps what each (directory, request) resolved to.
 */
function outsideRequest(request, from, directory, resolved) {
  const found = (base) => {
    const key = `${base}\0${request}`;
    if (!resolved.has(key)) {
      try {
        resolved.set(key, createRequire(join(base, 'x.js')).resolve(request));
      } catch {
        resolved.set(key, undefined);
      }
    }
    return resolved.get(key);
  };
  const own = found(from);
  if (own === undefined || own === found(directory)) return request;
  const path = relative(directory, own);
  return path.startsWith('../') ? path : `./${path}`;
}

/** Bundles `directory`/main.js and what it loads into `directory`/main.bundle.js (and .map). */
export async function bundle(directory) {
  const entry = join(directory, 'main.js');
  const outfile = join(directory, BUNDLE);
  // Per directory asked from: whether a package goes in, and where a request resolves.
  const decisions = new Map();
  const resolved = new Map();
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    // Class and function names as compiled: TypeORM, Nest and the logs read them.
    keepNames: true,
    sourcemap: 'linked',
    // Stack traces need the positions, not the sources.
    sourcesContent: false,
    // Bundled ES modules have `import.meta` only as written by the loader below: any other use
    // would be left empty, and is refused.
    logOverride: { 'empty-import-meta': 'error' },
    logLevel: 'warning',
    metafile: true,
    plugins: [
      {
        name: 'node-modules-outside',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^[^./#]/ }, ({ path, resolveDir }) => {
            if (path.startsWith('node:')) return { external: true };
            const name = packageName(path);
            const key = `${resolveDir}\0${name}`;
            if (!decisions.has(key)) decisions.set(key, inlined(name, resolveDir));
            if (decisions.get(key)) return undefined;
            return { path: outsideRequest(path, resolveDir, directory, resolved), external: true };
          });
          esbuild.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, ({ path }) => {
            const source = readFileSync(path, 'utf8');
            if (!OWN_REQUIRE.test(source) && !source.includes('import.meta')) return undefined;
            return { contents: withOwnLocation(source, path, directory), loader: 'js' };
          });
        },
      },
    ],
  });
  const mapFile = `${outfile}.map`;
  writeFileSync(mapFile, JSON.stringify(trimSourceMap(JSON.parse(readFileSync(mapFile, 'utf8')))));
  return result.metafile;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, value) => [char, value]));

/** The numbers of one source-map segment (base64 VLQ). */
function decodeSegment(segment) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

function encodeNumber(number) {
  let value = number < 0 ? (-number << 1) | 1 : number << 1;
  let encoded = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value) digit |= 32;
    encoded += BASE64[digit];
  } while (value);
  return encoded;
}

/**
 * `map` as stack traces need it: Node decodes a map whole the first time a trace goes through
 * its file, and esbuild's map of the bundle took 174 ms and 65 MB to decode. Kept: our files'
 * positions, one per original line where a generated line runs through it (a frame keeps its
 * file and line; its column is where that line's code starts), and an unmapped position where
 * code of a bundled package (which had no map of its own) or of no source follows ours, so that
 * a frame there names the bundle's own line rather than the nearest of ours.
 */
export function trimSourceMap(full) {
  const map = { ...full };
  const ours = map.sources.map((source) => !/(^|\/)node_modules\//.test(source));
  // The running values the segments are relative to: as read, and as written.
  const read = { source: 0, line: 0, column: 0, name: 0 };
  const written = { source: 0, line: 0, column: 0 };
  let lastWrittenOurs = false;
  map.mappings = map.mappings
    .split(';')
    .map((line) => {
      const segments = [];
      let column = 0;
      let writtenColumn = 0;
      let lastOriginalLine;
      for (const segment of line ? line.split(',') : []) {
        const fields = decodeSegment(segment);
        column += fields[0];
        if (fields.length > 1) {
          read.source += fields[1];
          read.line += fields[2];
          read.column += fields[3];
          if (fields.length === 5) read.name += fields[4];
        }
        // Code of no source (esbuild's own) or of a package: unmapped from here, where the last
        // position written was ours; Node looks back across lines to the last position.
        if (fields.length === 1 || !ours[read.source]) {
          if (lastWrittenOurs) {
            segments.push(encodeNumber(column - writtenColumn));
            writtenColumn = column;
            lastWrittenOurs = false;
          }
          lastOriginalLine = undefined;
          continue;
        }
        const originalLine = `${read.source}:${read.line}`;
        if (originalLine === lastOriginalLine) continue;
        lastOriginalLine = originalLine;
        segments.push(
          encodeNumber(column - writtenColumn) +
            encodeNumber(read.source - written.source) +
            encodeNumber(read.line - written.line) +
            encodeNumber(read.column - written.column),
        );
        writtenColumn = column;
        Object.assign(written, { source: read.source, line: read.line, column: read.column });
        lastWrittenOurs = true;
      }
      return segments.join(',');
    })
    .join(';');
  delete map.names;
  return map;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const directory = resolve(
    process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../dist'),
  );
  const metafile = await bundle(directory);
  const [output] = Object.values(metafile.outputs).filter((each) => each.entryPoint);
  console.log(
    `bundle: ${join(directory, BUNDLE)}, ${(output.bytes / 1024 / 1024).toFixed(1)} MB from ` +
      `${Object.keys(output.inputs).length} files`,
  );
}
