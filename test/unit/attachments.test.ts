import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupParts } from '@/infra/storage/s3.storage';
import { parseRange } from '@/modules/file/byte-ranges';
import { contentTypeOf } from '@/modules/file/content-types';
import { contentDisposition, renamedTitle, sanitizeFileName } from '@/modules/file/file-names';

const MIB = 1024 * 1024;

describe('attachment names', () => {
  it('keeps the last path component, drops controls and invisible characters', () => {
    assert.equal(sanitizeFileName('a/b\\c/report.pdf').title, 'report.pdf');
    assert.equal(sanitizeFileName('x\u202egnp.exe').title, 'xgnp.exe');
    assert.equal(sanitizeFileName('zero\u200bwidth\ufeff.txt').title, 'zerowidth.txt');
    assert.equal(sanitizeFileName('a<b>c:d|e?.txt').title, 'a_b_c_d_e_.txt');
    assert.equal(sanitizeFileName('\ud800lone.txt').title, 'lone.txt');
    assert.equal(sanitizeFileName('...').title, 'file');
    assert.equal(sanitizeFileName('nul').title, '_nul');
  });

  it('bounds the length without losing the extension or splitting a character', () => {
    const { title, extension } = sanitizeFileName(`${'😀'.repeat(300)}.JPG`);
    assert.equal(extension, 'jpg');
    assert.equal([...title].length, 200);
    assert.ok(title.endsWith('😀.JPG'));
  });

  it('takes a long or odd suffix as part of the name, not as an extension', () => {
    assert.equal(sanitizeFileName('archive.tar.gz').extension, 'gz');
    assert.equal(sanitizeFileName('notes.v1 final').extension, '');
    assert.equal(sanitizeFileName('.bashrc').extension, '');
  });

  it('renames keeping the file’s own extension', () => {
    assert.equal(renamedTitle('final', 'pdf').title, 'final.pdf');
    assert.equal(renamedTitle('final.txt', 'pdf').title, 'final.txt.pdf');
    assert.equal(renamedTitle('final.PDF', 'pdf').title, 'final.PDF');
    assert.equal(renamedTitle('Makefile', '').title, 'Makefile');
  });

  it('offers an ASCII fallback and the exact name in RFC 5987 form', () => {
    assert.equal(
      contentDisposition('résumé "v2" (1).pdf'),
      `attachment; filename="r_sum_ _v2_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22%20%281%29.pdf`,
    );
  });
});

describe('attachment content types', () => {
  it('goes by the extension, else by the first bytes, else binary', () => {
    assert.equal(contentTypeOf('PDF', Buffer.alloc(0)), 'application/pdf');
    assert.equal(
      contentTypeOf('', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      'image/png',
    );
    assert.equal(contentTypeOf('bin', Buffer.from('%PDF-1.4')), 'application/pdf');
    assert.equal(contentTypeOf('xyz', Buffer.from('plain')), 'application/octet-stream');
  });
});

describe('byte ranges', () => {
  it('serves one range, a suffix or an open end, and refuses one past the end', () => {
    assert.deepEqual(parseRange(undefined, 10), { kind: 'whole' });
    assert.deepEqual(parseRange('bytes=2-4', 10), { kind: 'partial', range: { start: 2, end: 4 } });
    assert.deepEqual(parseRange('bytes=7-', 10), { kind: 'partial', range: { start: 7, end: 9 } });
    assert.deepEqual(parseRange('bytes=-3', 10), { kind: 'partial', range: { start: 7, end: 9 } });
    assert.deepEqual(parseRange('bytes=-30', 10), { kind: 'partial', range: { start: 0, end: 9 } });
    assert.deepEqual(parseRange('bytes=5-99', 10), {
      kind: 'partial',
      range: { start: 5, end: 9 },
    });
    assert.deepEqual(parseRange('bytes=10-', 10), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', 10), { kind: 'unsatisfiable' });
  });

  it('ignores what it does not serve: several ranges, other units, nonsense', () => {
    for (const header of ['bytes=0-1,3-4', 'items=0-1', 'bytes=4-2', 'bytes=-', 'bytes=x-1']) {
      assert.deepEqual(parseRange(header, 10), { kind: 'whole' }, header);
    }
  });
});

describe('S3 multipart parts of an upload’s chunks', () => {
  it('groups consecutive chunks to at least 5 MiB each, the last group as small as it is', () => {
    const sizes = (groups: { size: number }[][]) =>
      groups.map((group) => group.map((part) => part.size));
    const parts = (...list: number[]) => list.map((size, index) => ({ key: `c${index}`, size }));
    assert.deepEqual(sizes(groupParts(parts(5 * MIB, 5 * MIB, 7))), [[5 * MIB], [5 * MIB], [7]]);
    assert.deepEqual(sizes(groupParts(parts(MIB, 2 * MIB, 3 * MIB, MIB))), [
      [MIB, 2 * MIB, 3 * MIB],
      [MIB],
    ]);
    assert.deepEqual(sizes(groupParts(parts(10))), [[10]]);
  });
});
