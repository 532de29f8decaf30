import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { IdCodec, ID_KINDS, type IdKind } from '@/common/id-codec';
import { Problem } from '@/common/problem';
import { configurePublicIds, decodeId, encodeId, publicId } from '@/common/public-id';

const KINDS = Object.keys(ID_KINDS) as IdKind[];
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const newSecret = () => randomBytes(32).toString('base64url');
const consecutive = (codec: IdCodec, kind: IdKind, count: number) =>
  Array.from({ length: count }, (_, index) => codec.encode(kind, index + 1));

/** How many ids share a run of `length` characters (anywhere) with another id of the list. */
function idsSharingARun(ids: string[], length: number): number {
  const firstSeenIn = new Map<string, number>();
  const sharing = new Set<number>();
  ids.forEach((id, index) => {
    for (let start = 0; start + length <= id.length; start++) {
      const run = id.slice(start, start + length);
      const other = firstSeenIn.get(run);
      if (other === undefined) firstSeenIn.set(run, index);
      else if (other !== index) sharing.add(index).add(other);
    }
  });
  return sharing.size;
}

describe('public id codec', () => {
  it('round-trips every kind, from 1 to the largest safe integer, as 22 base64url characters', () => {
    const codec = new IdCodec(newSecret());
    for (const kind of KINDS) {
      for (const id of [1, 2, 255, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
        const wire = codec.encode(kind, id);
        assert.match(wire, /^[A-Za-z0-9_-]{22}$/);
        assert.equal(codec.decode(kind, wire), id, `${kind} ${id}`);
      }
    }
  });

  it('refuses to encode what is not a positive safe integer', () => {
    const codec = new IdCodec(newSecret());
    for (const id of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
      assert.throws(() => codec.encode('task', id), RangeError, String(id));
    }
  });

  it('gives 1,000 consecutive ids no shared structure: no run of 6 characters beyond chance', () => {
    const ids = consecutive(new IdCodec(newSecret()), 'project', 1000);
    assert.equal(new Set(ids).size, ids.length);
    // Random ids share a run of 6 characters (36 bits) about once in 400 lists of 1,000;
    // an encoding over a fixed alphabet, such as sqids, shares one in nearly every id.
    const sharing = idsSharingARun(ids, 6);
    assert.ok(sharing <= 2, `${sharing} of 1,000 consecutive ids share a run of 6 characters`);
    // Nor do neighbours share a 2-character prefix or suffix (a quarter of a pair by chance;
    // the last character holds 2 bits only, so the suffix is the two before it).
    for (const [what, part] of [
      ['prefix', (id: string) => id.slice(0, 2)],
      ['suffix', (id: string) => id.slice(19, 21)],
    ] as const) {
      let same = 0;
      for (let index = 1; index < ids.length; index++) {
        if (part(ids[index]) === part(ids[index - 1])) same++;
      }
      assert.ok(same <= 5, `${same} consecutive pairs share a 2-character ${what}`);
    }
  });

  it('decodes no id with one character changed, at any position, under any kind', () => {
    const codec = new IdCodec(newSecret());
    const ids = [1, 2, 3, 1000, 2 ** 31, Number.MAX_SAFE_INTEGER].map((id) =>
      codec.encode('task', id),
    );
    let tries = 0;
    for (const wire of ids) {
      for (let position = 0; position < wire.length; position++) {
        for (const replacement of BASE64URL) {
          if (replacement === wire[position]) continue;
          const altered = wire.slice(0, position) + replacement + wire.slice(position + 1);
          for (const kind of KINDS) {
            tries++;
            assert.equal(codec.decode(kind, altered), undefined, `${altered} as ${kind}`);
          }
        }
      }
    }
    assert.equal(tries, ids.length * 22 * 63 * KINDS.length);
  });

  it('decodes an id only as its own kind: a project id is no task id', () => {
    const codec = new IdCodec(newSecret());
    for (const kind of KINDS) {
      for (const wire of consecutive(codec, kind, 200)) {
        for (const other of KINDS.filter((candidate) => candidate !== kind)) {
          assert.equal(codec.decode(other, wire), undefined, `${kind} ${wire} as ${other}`);
        }
      }
    }
  });

  it('decodes nothing sealed under another secret', () => {
    const mine = new IdCodec(newSecret());
    const theirs = new IdCodec(newSecret());
    for (const kind of KINDS) {
      const ids = consecutive(theirs, kind, 1000);
      assert.equal(
        ids.filter((wire) => KINDS.some((any) => mine.decode(any, wire) !== undefined)).length,
        0,
      );
      assert.equal(consecutive(mine, kind, 1000).filter((wire) => ids.includes(wire)).length, 0);
    }
  });

  it('rejects padding, other lengths and characters outside base64url', () => {
    const codec = new IdCodec(newSecret());
    const wire = codec.encode('member', 42);
    for (const bad of ['', wire.slice(1), `${wire}A`, `${wire}==`, `${wire.slice(0, 21)}+`]) {
      assert.equal(codec.decode('member', bad), undefined, bad);
    }
    assert.equal(codec.decode('member', ` ${wire.slice(1)}`), undefined);
  });

  it('encodes and decodes in a few microseconds', (context) => {
    const codec = new IdCodec(newSecret());
    const count = 20_000;
    const started = performance.now();
    for (let id = 1; id <= count; id++) {
      if (codec.decode('task', codec.encode('task', id)) !== id) assert.fail(`id ${id}`);
    }
    const microseconds = ((performance.now() - started) * 1000) / count;
    context.diagnostic(`encode + decode: ${microseconds.toFixed(2)} µs per id`);
    // About 2 µs on a quiet machine; the margin is for a loaded one.
    assert.ok(microseconds < 50, `${microseconds} µs per id`);
  });
});

describe('the process-wide codec', () => {
  it('fails loudly when used before ids.secret configured it', () => {
    assert.throws(() => encodeId(1, 'project'), /before configurePublicIds/);
    assert.throws(() => decodeId('AAAAAAAAAAAAAAAAAAAAAA', 'project'), /before configurePublicIds/);
  });

  it('takes its secret once: the same one again is fine, another one is refused', () => {
    const secret = newSecret();
    configurePublicIds(secret);
    configurePublicIds(secret);
    assert.throws(() => configurePublicIds(newSecret()), /ids\.secret differs/);
    assert.equal(decodeId(encodeId(7, 'stage'), 'stage'), 7);
  });

  it('answers 404 for an id that does not decode, and reads members by default', () => {
    assert.equal(decodeId(encodeId(9)), 9);
    assert.equal(decodeId(encodeId(9, 'member'), 'member'), 9);
    assert.throws(
      () => decodeId(encodeId(9, 'project'), 'task'),
      (error: unknown) => error instanceof Problem && error.status === 404,
    );
  });

  it('parses an id field to its number, and names the field of one that does not decode', () => {
    const schema = publicId('stage');
    assert.equal(schema.parse(encodeId(12, 'stage')), 12);
    const failed = schema.safeParse(encodeId(12, 'task'));
    assert.equal(failed.success, false);
    assert.equal(failed.error?.issues[0].message, 'no such id');
  });
});
