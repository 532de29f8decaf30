import assert from 'node:assert/strict';
import type { Outcome } from './outcome';
import type { Attack } from './route-adapter';

const SHOWN_GROUPS = 100;
const ROUTES_PER_GROUP = 4;

interface Failure {
  route: string;
  /** The input and what went wrong, without the route: failures group by it. */
  what: string;
  /** Status and answer excerpt. */
  answer: string;
}

/** Counts what an attack run sent and keeps every failure with its route, input and answer. */
export class AttackTally {
  routes = 0;
  requests = 0;
  faults = 0;
  private readonly failures: Failure[] = [];

  constructor(readonly label: string) {}

  /** Records an answer and fails it for `problem`, when there is one. */
  record(route: string, who: string, input: string, outcome: Outcome, problem?: string): void {
    this.requests++;
    if (outcome.kind === 'fault') this.faults++;
    if (!problem) return;
    this.failures.push({
      route: `${route} [${who}]`,
      what: `${input}: ${problem}`,
      answer: `answered ${outcome.status} in ${Math.round(outcome.elapsedMs)} ms: ${outcome.excerpt}`,
    });
  }

  /** A failure that is no answer: a route the suite cannot attack as it should. */
  fail(route: string, message: string): void {
    this.failures.push({ route, what: message, answer: '' });
  }

  get failureCount(): number {
    return this.failures.length;
  }

  summary(unit: string): string {
    const count = (value: number) => value.toLocaleString('en');
    return `${this.label}: ${count(this.routes)} ${unit}, ${count(this.requests)} requests, ${count(this.faults)} server faults, ${count(this.failures.length)} failures`;
  }

  /** Fails with every failure, grouped by input and problem, each group naming its routes. */
  assertClean(): void {
    if (this.failures.length === 0) return;
    const groups = new Map<string, Failure[]>();
    for (const failure of this.failures) {
      const key = failure.what.replace(/\d+ ms/, '');
      groups.set(key, [...(groups.get(key) ?? []), failure]);
    }
    const lines = [...groups.values()].slice(0, SHOWN_GROUPS).map((group) => {
      const [first] = group;
      const routes = group.slice(0, ROUTES_PER_GROUP).map((failure) => failure.route);
      const more =
        group.length > ROUTES_PER_GROUP ? ` and ${group.length - ROUTES_PER_GROUP} more` : '';
      return `${first.what} — ${routes.join(', ')}${more}${first.answer ? ` — first ${first.answer}` : ''}`;
    });
    const hidden =
      groups.size > SHOWN_GROUPS ? `\n  … and ${groups.size - SHOWN_GROUPS} more kinds` : '';
    assert.fail(
      `${this.failures.length} failures (${this.label}):\n  ${lines.join('\n  ')}${hidden}`,
    );
  }
}

/** What is wrong with the answer to a malformed input, if anything. */
export function judge(
  attack: Attack,
  outcome: Outcome,
  anonymousOnGuarded: boolean,
): string | undefined {
  const problems: string[] = [];
  if (outcome.kind === 'fault') problems.push('server fault');
  if (outcome.breach) problems.push(outcome.breach);
  if (attack.expect && outcome.kind !== attack.expect) problems.push(`expected ${attack.expect}`);
  else if (attack.mustReject && outcome.kind === 'ok')
    problems.push('accepted an input that is never valid');
  else if (anonymousOnGuarded && outcome.kind === 'ok')
    problems.push('answered a caller without a token');
  if (attack.withinMs !== undefined && outcome.elapsedMs > attack.withinMs) {
    problems.push(`took longer than ${attack.withinMs} ms`);
  }
  return problems.length ? problems.join(', ') : undefined;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
