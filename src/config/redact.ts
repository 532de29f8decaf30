import { SECRET_KEY_PATTERN } from './schema';

/** Every string value held under a secret-looking key, at any depth. */
export function collectSecrets(
  value: unknown,
  into = new Set<string>(),
  secretKey = false,
): Set<string> {
  if (typeof value === 'string') {
    if (secretKey && value.length >= 4) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into, secretKey);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      collectSecrets(child, into, secretKey || SECRET_KEY_PATTERN.test(key));
    }
  }
  return into;
}

/** Replaces every known secret value inside `text`: a last line of defence for error messages. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}
