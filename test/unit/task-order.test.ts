import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_SORT,
  renumbered,
  SORT_STEP,
  sortAfter,
  sortBetween,
} from '@/modules/project/task-order';

describe('task order arithmetic', () => {
  it('appends one step after the last place, starting from an empty stage', () => {
    assert.equal(sortAfter(0), SORT_STEP);
    assert.equal(sortAfter(3 * SORT_STEP), 4 * SORT_STEP);
  });

  it('has no place after the last one once the column range would be passed', () => {
    assert.equal(sortAfter(MAX_SORT - SORT_STEP), MAX_SORT);
    assert.equal(sortAfter(MAX_SORT - SORT_STEP + 1), null);
    assert.equal(sortAfter(MAX_SORT), null);
  });

  it('lands halfway between neighbours while an integer lies between them', () => {
    assert.equal(sortBetween(0, SORT_STEP), SORT_STEP / 2);
    assert.equal(sortBetween(10, 13), 11);
    assert.equal(sortBetween(10, 12), 11);
  });

  it('has no place between neighbours one apart or equal', () => {
    assert.equal(sortBetween(10, 11), null);
    assert.equal(sortBetween(10, 10), null);
  });

  it('spreads tasks back out in order, a step apart, with room after and between them', () => {
    const { places, next } = renumbered(4);
    assert.deepEqual(
      places,
      [1, 2, 3, 4].map((index) => index * SORT_STEP),
    );
    assert.equal(next, 5 * SORT_STEP);
    assert.notEqual(sortBetween(0, places[0]), null);
    assert.notEqual(sortBetween(places[2], places[3]), null);
    assert.deepEqual(renumbered(0), { places: [], next: SORT_STEP });
  });

  it('halves a gap 16 times before a stage must be renumbered', () => {
    let upper = SORT_STEP;
    let moves = 0;
    for (let place = sortBetween(0, upper); place !== null; place = sortBetween(0, upper)) {
      upper = place;
      moves++;
    }
    assert.equal(moves, 16);
  });
});
