import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { boundedList, cleanText, decimalInt, text } from '@/common/schema-types';

describe('request schema building blocks', () => {
  it('checks a list length before parsing any item', () => {
    let parsed = 0;
    const item = z.string().transform((value) => {
      parsed++;
      return value;
    });
    const schema = z.strictObject({ ids: boundedList(item, 3) });
    const tooMany = schema.safeParse({ ids: Array<string>(300_000).fill('id') });
    assert.equal(tooMany.success, false);
    assert.deepEqual(
      tooMany.error?.issues.map((issue) => [issue.path.join('.'), issue.message]),
      [['ids', 'at most 3 items']],
    );
    assert.equal(parsed, 0);
    assert.deepEqual(schema.parse({ ids: ['a', 'b'] }), { ids: ['a', 'b'] });
    assert.equal(parsed, 2);
  });

  it('refuses C0 and C1 control characters, DEL and lone surrogates in text', () => {
    const name = text({ max: 50, required: true });
    for (const value of [
      'a\u0000',
      'a\u001f',
      'a\u007f',
      'a\u0080',
      'a\u009f',
      'a\ud800',
      'a\udc00b',
      'a\tb',
      'a\nb',
    ]) {
      assert.equal(name.safeParse(value).success, false, JSON.stringify(value));
    }
    assert.equal(name.parse('  Été 🚀 ok  '), 'Été 🚀 ok');
    assert.equal(name.parse('Typed, then Enter\n'), 'Typed, then Enter');
    assert.equal(name.parse('\r\n\tindented\r\n'), 'indented');
    assert.equal(name.safeParse('   ').success, false);
  });

  it('allows tab and line breaks in multi-line text only', () => {
    const description = text({ max: 100, multiline: true });
    assert.equal(description.parse('one\r\n\ttwo\n'), 'one\r\n\ttwo\n');
    for (const value of ['a\u0000', 'a\u000b', 'a\u000c', 'a\u001b', 'a\u0085', 'a\udbff']) {
      assert.equal(description.safeParse(value).success, false, JSON.stringify(value));
    }
  });

  it('applies the same rule to formatted strings', () => {
    const url = cleanText(z.url());
    assert.equal(url.safeParse('https://example.test/a\u0000b').success, false);
    assert.equal(url.parse('https://example.test/a'), 'https://example.test/a');
  });

  it('reads decimal digits or a number, nothing else', () => {
    const page = decimalInt({ min: 1, max: 1000 }).default(1);
    assert.equal(page.parse('16'), 16);
    assert.equal(page.parse('007'), 7);
    assert.equal(page.parse(16), 16);
    assert.equal(page.parse(undefined), 1);
    for (const value of [
      '0x10',
      '1e1',
      ' 16',
      '16 ',
      '',
      '+2',
      '-1',
      '2.0',
      '0',
      '1001',
      2.5,
      true,
    ]) {
      assert.equal(page.safeParse(value).success, false, JSON.stringify(value));
    }
    const [issue] = page.safeParse('0x10').error?.issues ?? [];
    assert.equal(issue.message, 'must be a decimal integer');
  });
});
