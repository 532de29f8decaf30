/**
 * The arithmetic of task order within a stage: tasks sit SORT_STEP apart, so that most moves
 * rewrite one row; an append past the column's range or a move between neighbours with no
 * integer left between them needs the stage renumbered first (the repository does that under
 * the stage lock).
 */

/** Gap between neighbours in a stage. */
export const SORT_STEP = 65536;

/** The largest value of the INT sort column. */
export const MAX_SORT = 2_147_483_647;

/** The place after the stage's last one (0: an empty stage), or null when out of range. */
export function sortAfter(last: number): number | null {
  const next = last + SORT_STEP;
  return next <= MAX_SORT ? next : null;
}

/** The place halfway between two neighbours, or null when no integer lies between them. */
export function sortBetween(lower: number, upper: number): number | null {
  return upper - lower < 2 ? null : lower + Math.floor((upper - lower) / 2);
}

/** The places of `count` tasks spread back out, in their order, and the one after them. */
export function renumbered(count: number): { places: number[]; next: number } {
  return {
    places: Array.from({ length: count }, (_, index) => (index + 1) * SORT_STEP),
    next: (count + 1) * SORT_STEP,
  };
}
