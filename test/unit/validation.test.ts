import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { configurePublicIds, encodeId } from '@/common/public-id';
import { Problem } from '@/common/problem';
import { MessagePipe, ZodValidationPipe } from '@/common/zod-validation';
import { memberSeenBy, type MemberView } from '@/modules/user/dto/user.views';
import { TEST_IDS_SECRET } from '../support/app';

const schema = z.strictObject({
  name: z.string().min(1, 'required'),
  description: z.string().nullable().optional(),
});

function problemOf(work: () => unknown): Problem {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof Problem);
    return error;
  }
  assert.fail('accepted');
}

describe('the validation pipes', () => {
  it('answer a 400 problem naming each offending field, unknown ones one by one', () => {
    const problem = problemOf(() =>
      new ZodValidationPipe(schema).transform({ name: '', extra: 1, other: 2 }),
    );
    assert.equal(problem.status, 400);
    assert.equal(problem.code, 'invalid_argument');
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      ['name', 'extra', 'other'],
    );
    assert.equal(problem.errors[0].message, 'required');
  });

  it('name at most 20 fields, each cut to 100 characters', () => {
    const junk = Object.fromEntries(
      Array.from({ length: 50 }, (_, index) => [`${'k'.repeat(300)}${index}`, 1]),
    );
    const problem = problemOf(() =>
      new ZodValidationPipe(schema).transform({ name: 'x', ...junk }),
    );
    assert.equal(problem.errors.length, 20);
    assert.ok(problem.errors.every((error) => error.field.length <= 100));
  });

  it('take an RPC message apart: subject fields left out, "" clearing the fields named', () => {
    const pipe = new MessagePipe(schema, { omit: ['id'], emptyMeansNull: ['description'] });
    assert.deepEqual(pipe.transform({ id: 'abc', name: 'n', description: '' }), {
      name: 'n',
      description: null,
    });
    assert.deepEqual(pipe.transform({ id: 'abc', name: 'n' }), { name: 'n' });
    assert.equal(problemOf(() => pipe.transform({ id: 'abc', name: '' })).errors[0].field, 'name');
  });
});

describe('what others see of a member', () => {
  configurePublicIds(TEST_IDS_SECRET);
  const member: MemberView = {
    id: encodeId(7, 'member'),
    account: 'ada',
    email: 'ada@example.com',
    mobile: '13800000000',
    name: 'Ada',
    avatar: null,
    description: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastLoginAt: '2026-02-01T00:00:00.000Z',
  };

  it('shows the member everything about themselves', () => {
    assert.deepEqual(memberSeenBy(member, 7), member);
  });

  it('shows anyone else the profile without contact details or the last login', () => {
    const seen = memberSeenBy(member, 8);
    assert.deepEqual([seen.email, seen.mobile, seen.lastLoginAt], ['', '', null]);
    assert.equal(seen.name, 'Ada');
    assert.deepEqual(memberSeenBy(member, null).email, '');
  });
});
