import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * Where each `require` of a start resolved to, kept from one start to the next.
 *
 * Node resolves a `require` by probing the file system: the `node_modules` directories above
 * the requiring file, file extensions, `package.json` fields and `exports` maps. A start of this
 * application resolves about 5,000 (directory, request) pairs that way, about a fifth of its CPU
 * time. The answers only change when the installed packages or the build change, so they are
 * written to a file once the application serves, and the next start with the same packages,
 * build, Node and flags looks them up instead. A request the file does not hold is resolved as
 * before and added to it. The lookup is in place only while the application starts: requires
 * made while it serves resolve as Node resolves them.
 */

type ResolveFilename = (
  request: string,
  parent: Module | undefined,
  isMain: boolean,
  options?: unknown,
) => string;

interface ModuleInternals {
  _resolveFilename: ResolveFilename;
}

interface SavedResolutions {
  fingerprint: string;
  /** Directory of the requiring file → request → resolved file. */
  directories: Record<string, Record<string, string>>;
}

export interface ResolutionCache {
  /** Requests answered from the file. */
  readonly cached: number;
  /** Requests Node resolved (none held in the file, or the file was stale). */
  readonly resolved: number;
  /** Puts Node's resolution back and saves what was resolved; once. */
  finish(): void;
}

export interface ResolutionCacheOptions {
  /** The file that holds the resolutions. */
  file: string;
  /** What the resolutions depend on; a file saved under another fingerprint is not used. */
  fingerprint: string;
}

const internals = Module as unknown as ModuleInternals;

function readSaved(file: string, fingerprint: string): SavedResolutions['directories'] {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedResolutions;
    if (saved.fingerprint === fingerprint && typeof saved.directories === 'object') {
      return saved.directories ?? {};
    }
  } catch {
    // None yet, or unreadable: resolve everything.
  }
  return {};
}

/** Looks resolutions up in `file` until `finish()`. */
export function installResolutionCache({
  file,
  fingerprint,
}: ResolutionCacheOptions): ResolutionCache {
  let directories = readSaved(file, fingerprint);
  const original = internals._resolveFilename;
  let cached = 0;
  let resolved = 0;
  let active = true;
  const lookingUp: ResolveFilename = function (this: unknown, request, parent, isMain, options) {
    const from = parent?.filename;
    if (!active || isMain || options !== undefined || !from || Module.isBuiltin(request)) {
      return original.call(this, request, parent, isMain, options);
    }
    const directory = dirname(from);
    const known = directories[directory]?.[request];
    if (known !== undefined) {
      cached++;
      return known;
    }
    const filename = original.call(this, request, parent, isMain, options);
    resolved++;
    (directories[directory] ??= {})[request] = filename;
    return filename;
  };
  internals._resolveFilename = lookingUp;

  function finish(): void {
    if (!active) return;
    active = false;
    // Something that wrapped the lookup since keeps its wrapper, around a pass-through.
    if (internals._resolveFilename === lookingUp) internals._resolveFilename = original;
    const saved: SavedResolutions = { fingerprint, directories };
    // Not kept for the process's life.
    directories = {};
    if (resolved === 0) return;
    const partial = `${file}.${process.pid}`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(partial, JSON.stringify(saved));
      // Whole or not at all, also with other instances writing the same file.
      renameSync(partial, file);
    } catch {
      // Not writable here: every start resolves as Node does.
      try {
        rmSync(partial, { force: true });
      } catch {
        // Never written.
      }
    }
  }

  return {
    get cached() {
      return cached;
    },
    get resolved() {
      return resolved;
    },
    finish,
  };
}

function stamp(file: string): string | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${size}:${mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The nearest directory from `from` up to the file system's root that holds `name`. */
function above(from: string, name: string): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    if (stamp(join(directory, name)) !== undefined) return directory;
    if (dirname(directory) === directory) return undefined;
  }
}

/**
 * The cache for the running application, or none where the installed packages cannot be
 * told apart (no `node_modules/.package-lock.json`, which npm rewrites on every install). Its
 * fingerprint also holds the entry file and the build's record (`.tsbuildinfo`, rewritten by
 * every build), so a new build or install starts from nothing. The file lives under `.data/`
 * in the working directory, named after the entry file.
 */
export function applicationResolutionCache(main: string): ResolutionCache | undefined {
  const installed = 'node_modules/.package-lock.json';
  const root = above(dirname(main), installed);
  if (!root) return undefined;
  // An incremental build rewrites only the files that changed, and always its build record.
  const build = above(dirname(main), '.tsbuildinfo');
  const fingerprint = [
    process.version,
    process.platform,
    process.arch,
    process.execArgv.join(' '),
    process.env.NODE_PATH ?? '',
    main,
    stamp(join(root, installed)),
    stamp(main),
    build && stamp(join(build, '.tsbuildinfo')),
  ].join('\n');
  const name = createHash('sha256').update(main).digest('hex').slice(0, 16);
  return installResolutionCache({
    file: resolve('.data', 'module-resolutions', `${name}.json`),
    fingerprint,
  });
}
