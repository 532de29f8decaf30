import { SECRET_PATHS } from './schema';

/** Every value the schema declares secret (SECRET_PATHS), wherever lists put it. */
export function collectSecrets(config: unknown, into = new Set<string>()): Set<string> {
  for (const path of SECRET_PATHS) collectAt(config, path.split('.'), into);
  return into;
}

function collectAt(node: unknown, keys: string[], into: Set<string>): void {
  if (keys.length === 0) {
    if (typeof node === 'string' && node.length >= 4) into.add(node);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const [key, ...rest] = keys;
  const children = key === '*' ? Object.values(node) : [(node as Record<string, unknown>)[key]];
  for (const child of children) collectAt(child, rest, into);
}

/** Replaces every known secret value inside `text`: a last line of defence for error messages. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}
