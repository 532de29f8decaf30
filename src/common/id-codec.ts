import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type Cipheriv,
  type Decipheriv,
} from 'node:crypto';

/**
 * The kinds of ids on the wire and the tag each carries inside its sealed block. Every id
 * handed out holds its tag: add kinds, never renumber one.
 */
export const ID_KINDS = {
  member: 1,
  organization: 2,
  project: 3,
  template: 4,
  stage: 5,
  task: 6,
  activity: 7,
  workTime: 8,
  file: 9,
  department: 10,
  account: 11,
  role: 12,
  notification: 13,
  menu: 14,
  invitation: 15,
  inviteLink: 16,
  templateStage: 17,
  feature: 18,
  version: 19,
  versionLog: 20,
  taskWorkflow: 21,
  taskTag: 22,
  projectInfo: 23,
  announcement: 24,
} as const;

export type IdKind = keyof typeof ID_KINDS;

const BLOCK_BYTES = 16;
/** Bytes 1-8 hold the id; bytes 9-15 must be zero, or the id was forged or altered. */
const ZERO_FROM = 9;
const TWO_TO_32 = 2 ** 32;
const ENCODED_CACHE_SIZE = 50_000;
/** Exactly one block in canonical base64url: the last character carries 2 bits and 4 zeros. */
const ONE_BLOCK = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/**
 * Public ids: one AES-256 block over [kind tag | 64-bit id | 7 zero bytes], in base64url
 * without padding (22 characters). AES on one block is a keyed permutation: without the key
 * an id tells nothing of the number or of its neighbours, and any other string (an altered
 * character, a forgery, an id of another kind) decrypts to a block whose tag and zero bytes
 * match by chance fewer than once in 2^64 tries.
 */
export class IdCodec {
  // ECB keeps no state from one block to the next and only whole blocks go in, so one
  // long-lived cipher serves every id: a third of the cost of a new cipher per id.
  private readonly cipher: Cipheriv;
  private readonly decipher: Decipheriv;
  /**
   * Recent encodings: a page of a list encodes the same few ids (its projects, their owners)
   * on every request, and a block cipher call costs more than a map lookup. Bounded: started
   * again when full.
   */
  private readonly encoded = new Map<number, string>();

  constructor(secret: string) {
    const key = createSecretKey(
      Buffer.from(hkdfSync('sha256', secret, '', 'msproject public ids v1', 32)),
    );
    this.cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    this.decipher = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  }

  encode(kind: IdKind, id: number): string {
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`not a ${kind} id: ${id}`);
    // Ids stay below 2^45 in practice; beyond, the kind no longer fits the key: not cached.
    const key = id < 2 ** 45 ? id * 256 + ID_KINDS[kind] : undefined;
    const known = key === undefined ? undefined : this.encoded.get(key);
    if (known !== undefined) return known;
    const block = Buffer.alloc(BLOCK_BYTES);
    block[0] = ID_KINDS[kind];
    block.writeUInt32BE(Math.floor(id / TWO_TO_32), 1);
    block.writeUInt32BE(id % TWO_TO_32, 5);
    const publicId = this.cipher.update(block).toString('base64url');
    if (key !== undefined) {
      if (this.encoded.size >= ENCODED_CACHE_SIZE) this.encoded.clear();
      this.encoded.set(key, publicId);
    }
    return publicId;
  }

  /** The number a public id of this kind stands for; undefined for anything else. */
  decode(kind: IdKind, publicId: string): number | undefined {
    if (!ONE_BLOCK.test(publicId)) return undefined;
    const block = this.decipher.update(Buffer.from(publicId, 'base64url'));
    if (block.length !== BLOCK_BYTES || block[0] !== ID_KINDS[kind]) return undefined;
    for (let index = ZERO_FROM; index < BLOCK_BYTES; index++) {
      if (block[index] !== 0) return undefined;
    }
    const id = block.readUInt32BE(1) * TWO_TO_32 + block.readUInt32BE(5);
    return Number.isSafeInteger(id) && id >= 1 ? id : undefined;
  }
}
