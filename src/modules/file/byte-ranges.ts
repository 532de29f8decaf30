import { Problem } from '@/common/problem';
import type { ByteRange } from '@/infra/storage/storage.port';

export type RangeAnswer =
  { kind: 'whole' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * An HTTP Range header (RFC 9110 §14) against a file of `size` bytes. One range is served;
 * a header that is not a bytes range, or holds several, is ignored (the whole file, as the
 * RFC allows). A range that starts past the end cannot be satisfied (416).
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
  const [, first, last] = match;
  if (first === '') {
    // The last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end } };
}

/** 416, with the size the answer's Content-Range must state. */
export class RangeNotSatisfiable extends Problem {
  constructor(readonly size: number) {
    super(416, 'range_not_satisfiable', `the file has ${size} bytes`);
  }
}
