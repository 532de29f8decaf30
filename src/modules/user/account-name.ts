import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Account names: Unicode letters (with their combining marks), digits, `_`, `.` and `-`, 2 to 50
 * characters, at least one letter (an all-digit name could be someone's mobile at login).
 * Two names are the same account when they match after NFKC and case folding: `Ｚｈａｎｇ`,
 * `zhang` and `ZHANG` are one account; `josé` and `jose` are two.
 */
const ACCOUNT_CHARACTERS = /^[\p{L}\p{M}\p{N}_.-]{2,50}$/u;

export const ACCOUNT_NAME_RULE = 'must be 2 to 50 letters, digits, "_", "." or "-", with a letter';

export const accountName = z
  .string()
  .trim()
  .max(200)
  .refine(
    (value) => ACCOUNT_CHARACTERS.test(value.normalize('NFC')) && /\p{L}/u.test(value),
    ACCOUNT_NAME_RULE,
  )
  .transform((value) => value.normalize('NFC'));

/** NFKC, then full case folding (upper then lower: `ß` → `ss`, `ς` → `σ`), then NFKC again. */
export function foldAccountName(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The unique key of an account name: SHA-256 hex of its folded form. A digest, so that the
 * database's accent-insensitive collation cannot merge two different names and any length fits.
 */
export function accountKey(name: string): string {
  return createHash('sha256').update(foldAccountName(name.trim()), 'utf8').digest('hex');
}
