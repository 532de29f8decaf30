import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashPassword, passwordDigest, plainProof, verifyPassword } from '@/common/password';
import { Problem } from '@/common/problem';
import { toProblem } from '@/common/problem.filter';
import { accountKey } from '@/modules/user/account-name';
import { clientTime, parseClientTime } from '@/modules/web-client/client-time';
import { problemEnvelope } from '@/modules/web-client/envelope';
import { parseClientForm } from '@/modules/web-client/form-body';
import { formBody, md5 } from '../support/web-client';

describe("the web client's envelope", () => {
  it('gives the codes the client acts on: 401, 403, 4041, 400 naming the field', () => {
    assert.equal(problemEnvelope(Problem.unauthenticated()).code, 401);
    assert.equal(problemEnvelope(Problem.forbidden()).code, 403);
    assert.equal(problemEnvelope(Problem.notFound()).code, 4041);
    const invalid = problemEnvelope(Problem.invalid([{ field: 'name', message: 'required' }]));
    assert.deepEqual(invalid, { code: 400, msg: 'name: required', data: null });
    assert.equal(problemEnvelope(new Problem(413, 'payload_too_large', 'too large')).code, 400);
  });

  it('answers a dependency that is down with 503, and hides what failed', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
      code: 'ECONNREFUSED',
    });
    const envelope = problemEnvelope(toProblem(down));
    assert.equal(envelope.code, 503);
    assert.doesNotMatch(envelope.msg, /3306|127\.0\.0\.1|ECONN/);
    const internal = problemEnvelope(toProblem(new Error('SELECT secret FROM table')));
    assert.deepEqual(internal, { code: 500, msg: 'internal error', data: null });
  });
});

describe("the web client's forms", () => {
  it('encodes as its querystring does: %20, words for booleans, repeated keys, a dropped empty list', () => {
    assert.equal(
      formBody({ name: 'a b&c', on: true, none: undefined, ids: ['1', '2'], empty: [] }),
      'name=a%20b%26c&on=true&none=&ids=1&ids=2&',
    );
  });

  it('reads lists, empty values and + strictly, refusing bad escapes and non-UTF-8', () => {
    assert.deepEqual(
      { ...parseClientForm('a=1&a=2&b=&c&d=x+y%2By&&') },
      { a: ['1', '2'], b: '', c: '', d: 'x y+y' },
    );
    for (const bad of ['a=%zz', 'a=%E0%A4%A', 'a=%ED%A0%80']) {
      assert.throws(
        () => parseClientForm(bad),
        (error: Problem) => error.status === 400,
        bad,
      );
    }
    const polluting = parseClientForm('__proto__=1&constructor%5Bprototype%5D%5Bx%5D=1');
    assert.equal(Object.getPrototypeOf(polluting), null);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe("the web client's times", () => {
  it('writes and reads YYYY-MM-DD HH:mm:ss in the configured zone', () => {
    assert.equal(clientTime('2024-05-01T01:30:00Z', 'Asia/Shanghai'), '2024-05-01 09:30:00');
    assert.equal(clientTime(null, 'UTC'), '');
    assert.equal(
      parseClientTime('2024-05-01 09:30', 'Asia/Shanghai')?.toISOString(),
      '2024-05-01T01:30:00.000Z',
    );
    // Both sides of a daylight-saving change.
    assert.equal(
      parseClientTime('2024-03-09 12:00:00', 'America/New_York')?.toISOString(),
      '2024-03-09T17:00:00.000Z',
    );
    assert.equal(
      parseClientTime('2024-03-11 12:00:00', 'America/New_York')?.toISOString(),
      '2024-03-11T16:00:00.000Z',
    );
    for (const bad of ['2024-02-30 10:00', '2024-05-01 24:00', 'tomorrow', '2024-05-01']) {
      assert.equal(parseClientTime(bad, 'UTC'), null, bad);
    }
  });
});

describe('passwords and account names', () => {
  it("stores scrypt over md5 of the typed bytes, the web client's md5 opening it", async () => {
    const plain = 'Pässwörd-密码';
    assert.equal(passwordDigest(plain), md5(plain));
    const stored = await hashPassword(passwordDigest(plain));
    assert.match(stored, /^scrypt-md5\$/);
    assert.deepEqual(await verifyPassword({ digest: md5(plain) }, stored), {
      valid: true,
      upgrade: false,
    });
    assert.equal((await verifyPassword(plainProof('other'), stored)).valid, false);
    // No normalisation: the NFD spelling is another password, as in the browser.
    assert.equal((await verifyPassword(plainProof(plain.normalize('NFD')), stored)).valid, false);
  });

  it('opens an older hash only with the plain password, and asks for its upgrade', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('secret-one', salt, 32, { N: 16384, r: 8, p: 1 });
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    assert.deepEqual(await verifyPassword(plainProof('secret-one'), legacy), {
      valid: true,
      upgrade: true,
    });
    assert.equal((await verifyPassword({ digest: md5('secret-one') }, legacy)).valid, false);
  });

  it('keys account names by NFKC and case folding, keeping accents apart', () => {
    assert.equal(accountKey('Ｚｈａｎｇ'), accountKey('zhang'));
    assert.equal(accountKey('STRASSE'), accountKey('straße'));
    assert.notEqual(accountKey('josé'), accountKey('jose'));
  });
});
