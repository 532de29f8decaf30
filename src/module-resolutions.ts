import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';

/**
 * Where each `require` of a start resolved to, kept from one start of a build to the next.
 *
 * Node resolves a `require` by probing the file system: the `node_modules` directories above
 * the requiring file, file extensions, `package.json` fields and `exports` maps. A start of this
 * application resolves about 5,000 (directory, request) pairs that way. The answers change only
 * when the installed packages or the build change, so they are written beside the build once
 * the application serves, and the next start of the same build with the same packages, Node and
 * flags looks them up instead. A request the file does not hold, or whose file is gone, is
 * resolved as before and added. The lookup is in place only while the application starts:
 * requires made while it serves resolve as Node resolves them.
 *
 * The file is trusted as the build is: it lives in the build's directory and is written only
 * where that directory is writable (not in the container image, whose code is read-only), it is
 * not read when others may write it, and it only ever names existing files under the
 * installation's root.
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

type Directories = Map<string, Map<string, string>>;

interface SavedResolutions {
  fingerprint: string;
  /** Directory of the requiring file → request → resolved file. */
  directories: Record<string, Record<string, string>>;
}

export interface ResolutionCache {
  /** Requests answered from the file. */
  readonly cached: number;
  /** Requests Node resolved (none held in the file, or its answer was no longer a file). */
  readonly resolved: number;
  /** Puts Node's resolution back and saves what was resolved, once; the final counts. */
  finish(): { cached: number; resolved: number };
}

export interface ResolutionCacheOptions {
  /** The file that holds the resolutions. */
  file: string;
  /** What the resolutions depend on; a file saved under another fingerprint is not used. */
  fingerprint: string;
  /** The only directory the file's answers may lie in. */
  root: string;
}

const internals = Module as unknown as ModuleInternals;

/** Group or others may write it. */
const SHARED_WRITE = 0o022;

function readSaved(file: string, fingerprint: string): Directories {
  const directories: Directories = new Map();
  try {
    if (statSync(file).mode & SHARED_WRITE) return directories;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedResolutions>;
    if (saved.fingerprint !== fingerprint) return directories;
    for (const [directory, requests] of Object.entries(saved.directories ?? {})) {
      if (typeof requests !== 'object' || requests === null) continue;
      const answers = new Map<string, string>();
      for (const [request, filename] of Object.entries(requests)) {
        if (typeof filename === 'string') answers.set(request, filename);
      }
      directories.set(directory, answers);
    }
  } catch {
    // None yet, or unreadable: resolve everything.
  }
  return directories;
}

/** Looks resolutions up in `file` until `finish()`. */
export function installResolutionCache({
  file,
  fingerprint,
  root,
}: ResolutionCacheOptions): ResolutionCache {
  let directories = readSaved(file, fingerprint);
  const inRoot = root.endsWith(sep) ? root : root + sep;
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
    let answers = directories.get(directory);
    const known = answers?.get(request);
    if (
      known !== undefined &&
      known.startsWith(inRoot) &&
      statSync(known, { throwIfNoEntry: false })?.isFile()
    ) {
      cached++;
      return known;
    }
    const filename = original.call(this, request, parent, isMain, options);
    resolved++;
    if (!answers) directories.set(directory, (answers = new Map<string, string>()));
    answers.set(request, filename);
    return filename;
  };
  internals._resolveFilename = lookingUp;

  function finish(): { cached: number; resolved: number } {
    const counts = { cached, resolved };
    if (!active) return counts;
    active = false;
    // Something that wrapped the lookup since keeps its wrapper, around a pass-through.
    if (internals._resolveFilename === lookingUp) internals._resolveFilename = original;
    const saved: SavedResolutions = {
      fingerprint,
      directories: Object.fromEntries(
        [...directories].map(([directory, answers]) => [directory, Object.fromEntries(answers)]),
      ),
    };
    // Not kept for the process's life.
    directories = new Map();
    if (resolved === 0) return counts;
    const partial = `${file}.${randomUUID()}`;
    try {
      writeFileSync(partial, JSON.stringify(saved), { flag: 'wx', mode: 0o644 });
      // Whole or not at all, also with other instances writing the same file.
      renameSync(partial, file);
    } catch {
      // The build's directory is read-only here: every start resolves as Node does.
      try {
        rmSync(partial, { force: true });
      } catch {
        // Never written.
      }
    }
    return counts;
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
  const found = statSync(file, { throwIfNoEntry: false });
  return found && `${found.size}:${found.mtimeMs}`;
}

/** The nearest directory from `from` up to the file system's root that holds `name`. */
function above(from: string, name: string): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    if (stamp(join(directory, name)) !== undefined) return directory;
    if (dirname(directory) === directory) return undefined;
  }
}

const INSTALLED = 'node_modules/.package-lock.json';
/** The file, in the build's directory, that keeps the resolutions. */
export const RESOLUTIONS_FILE = '.module-resolutions.json';
const BUILD_RECORD = '.tsbuildinfo';

/**
 * The cache for the build in `directory` (the compiled application's own directory), kept in
 * it as `.module-resolutions.json`. Its fingerprint holds Node (version, platform, flags on the
 * command line and in NODE_OPTIONS, module path settings), the installed packages (npm's
 * record, rewritten by every install, and the `node_modules` directory) and the build (its
 * `.tsbuildinfo`, rewritten by every build, incremental ones too). Without npm's record or a
 * build record there is no cache: the packages or the build could change unseen.
 */
export function applicationResolutionCache(directory: string): ResolutionCache | undefined {
  // The packages come from the nearest node_modules, which npm's record must describe.
  const root = above(directory, 'node_modules');
  const build = above(directory, BUILD_RECORD);
  if (!root || !build || stamp(join(root, INSTALLED)) === undefined) return undefined;
  const fingerprint = [
    process.version,
    process.platform,
    process.arch,
    process.execArgv.join(' '),
    process.env.NODE_OPTIONS ?? '',
    process.env.NODE_PRESERVE_SYMLINKS ?? '',
    process.env.NODE_PATH ?? '',
    directory,
    stamp(join(root, INSTALLED)),
    stamp(join(root, 'node_modules')),
    stamp(join(build, BUILD_RECORD)),
  ].join('\n');
  return installResolutionCache({
    file: join(directory, RESOLUTIONS_FILE),
    fingerprint,
    root,
  });
}
