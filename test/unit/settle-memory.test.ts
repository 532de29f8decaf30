import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { settleMemory } from '@/server/settle-memory';

function youngGenerationMb(): number {
  const space = getHeapSpaceStatistics().find((entry) => entry.space_name === 'new_space');
  return space!.space_size / 1024 / 1024;
}

describe('settling memory after start-up', () => {
  it('shrinks the young generation that allocations grew, without exposing gc', () => {
    let kept: { index: number; text: string }[] = [];
    for (let index = 0; index < 2_000_000; index++) {
      kept.push({ index, text: `item ${index}` });
      if (kept.length > 100_000) kept = [];
    }
    const grown = youngGenerationMb();
    assert.ok(grown >= 16, `the young generation grew (${grown} MB)`);
    settleMemory();
    const settled = youngGenerationMb();
    assert.ok(settled < grown / 4, `it shrank from ${grown} to ${settled} MB`);
    assert.equal((globalThis as { gc?: unknown }).gc, undefined);
  });
});
