import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored as scrypt over md5(password): the original web client sends only that
 * md5 (hex of the UTF-8 bytes as typed), so one stored form serves it and the REST/gRPC APIs,
 * which compute the md5 themselves. No Unicode normalisation: the browser applies none, and
 * both sides must hash the same bytes. The scheme name tells the forms apart:
 * - `scrypt-md5$N$r$p$salt$key`: scrypt over the md5 hex digest (every hash written now);
 * - `scrypt$N$r$p$salt$key`: scrypt over the NFKC-normalised plain password (older hashes,
 *   upgraded at the member's next login with the plain password, through /api/v1 or gRPC).
 * The parameters are stored beside the hash, so that they can be raised later.
 */
const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const CURRENT_SCHEME = 'scrypt-md5';
const LEGACY_SCHEME = 'scrypt';

/** What a client proves a password with: its md5 digest, and the plain text where it was seen. */
export interface PasswordProof {
  /** md5 hex (lowercase) of the password's UTF-8 bytes. */
  digest: string;
  plain?: string;
}

export interface PasswordCheck {
  valid: boolean;
  /** Valid against an older form: store `hashPassword(proof.digest)` instead. */
  upgrade: boolean;
}

/** md5 hex of the UTF-8 bytes, exactly as the web client computes it. */
export function passwordDigest(plain: string): string {
  return createHash('md5').update(plain, 'utf8').digest('hex');
}

/** A proof from a plain password (REST, gRPC). */
export function plainProof(plain: string): PasswordProof {
  return { digest: passwordDigest(plain), plain };
}

function derive(input: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(input, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** The stored form of a password, from its md5 digest. */
export async function hashPassword(digest: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(digest.toLowerCase(), salt, COST);
  return [CURRENT_SCHEME, COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')]
    .map(String)
    .join('$');
}

export async function verifyPassword(proof: PasswordProof, stored: string): Promise<PasswordCheck> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (!salt || !key) return { valid: false, upgrade: false };
  let input: string;
  if (scheme === CURRENT_SCHEME) input = proof.digest.toLowerCase();
  // An older hash needs the plain password; the web client's md5 alone cannot open it.
  else if (scheme === LEGACY_SCHEME && proof.plain !== undefined)
    input = proof.plain.normalize('NFKC');
  else {
    // The same work as a real check, so that timing does not tell the forms apart.
    await derive(proof.digest, Buffer.from(salt, 'base64'), COST);
    return { valid: false, upgrade: false };
  }
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(input, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  const valid = actual.length === expected.length && timingSafeEqual(actual, expected);
  return { valid, upgrade: valid && scheme !== CURRENT_SCHEME };
}

/**
 * A stored form no password opens, for an account created without one: scrypt over 64 random
 * hex digits, which no md5 digest (32) ever equals. It looks and verifies like any other hash,
 * so a login attempt does not tell that the account has no password.
 */
export function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('hex'));
}

/** A hash to verify against when the account does not exist, so that timing tells nothing. */
export const DECOY_HASH =
  'scrypt-md5$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
