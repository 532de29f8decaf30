import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigInvalidError } from './config-errors';
import { weakSecretReason } from './secret-strength';

const GENERATION_ATTEMPTS = 8;

function generate(): string {
  // 32 random bytes; a draw the strength check refuses (odds below 1e-7) is drawn again.
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
    const value = randomBytes(32).toString('base64url');
    if (!weakSecretReason(value)) return value;
  }
  throw new Error('could not generate a secret');
}

function read(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigInvalidError([`cannot read (${(error as NodeJS.ErrnoException).code})`], file);
  }
  try {
    const stored: unknown = JSON.parse(text);
    if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
      return stored as Record<string, unknown>;
    }
  } catch {
    // reported below, without the content
  }
  throw new ConfigInvalidError(['not a JSON object of secrets'], file);
}

/**
 * The embedded setup's own secrets, one per config path: read from `file`, the missing ones
 * generated and written back (owner-only, 0600), so that a restart keeps tokens valid.
 */
export function loadGeneratedSecrets(
  file: string,
  paths: readonly string[],
): Record<string, string> {
  const stored = read(file);
  const problems = paths.flatMap((path) => {
    const value = stored[path];
    if (value === undefined) return [];
    const reason = typeof value === 'string' ? weakSecretReason(value) : 'must be a string';
    return reason ? [`${path}: ${reason}`] : [];
  });
  if (problems.length > 0) throw new ConfigInvalidError(problems, file);
  const missing = paths.filter((path) => stored[path] === undefined);
  if (missing.length === 0) {
    // A copied or restored file may have come back readable by others.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } else {
    for (const path of missing) stored[path] = generate();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is filtered by the umask; the file must be owner-only.
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }
  return stored as Record<string, string>;
}
