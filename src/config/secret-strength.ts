// How strong a configured secret must be: long, not a placeholder, not predictable.

const MIN_LENGTH = 32;
const MIN_BITS = 128;

/**
 * Values people type when they mean "fill this in later", values copied from examples, and
 * runs of one character: none of them comes from a random generator.
 */
const PLACEHOLDER =
  /change[-_ ]?me|example|placeholder|secret123|password|dummy|sample|default|your[-_ ]|^test|[-_.]test|0123456789|abcdefgh|qwerty|(.)\1{5,}/i;

/**
 * A rough strength estimate: the value's length times the Shannon entropy of its own character
 * frequencies. It cannot see that a value was typed by a person (the placeholder list does
 * that) but it tells random bytes from a short alphabet or a repeated pattern: 32 random bytes
 * as base64 or hex score about 200 bits; 16 random bytes as hex only about 115.
 */
export function estimatedBits(value: string): number {
  const characters = [...value];
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const share = count / characters.length;
    perCharacter -= share * Math.log2(share);
  }
  return perCharacter * characters.length;
}

/** Why a non-empty secret is refused, or undefined; never mentions the value. */
export function weakSecretReason(value: string): string | undefined {
  if (value.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters`;
  if (PLACEHOLDER.test(value)) return 'looks like a placeholder or example value';
  if (estimatedBits(value) < MIN_BITS) {
    return `too predictable (under ${MIN_BITS} bits estimated); use 32 random bytes, e.g. openssl rand -base64 32`;
  }
  return undefined;
}
