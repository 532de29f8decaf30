import { metrics } from '@opentelemetry/api';
import type { ConfigSourceKind } from './sources/config-source';
import type { ConfigSection } from './schema';

export type ReloadOutcome = 'applied' | 'unchanged' | 'rejected';

export interface ReloadAttempt {
  ok: boolean;
  outcome: ReloadOutcome;
  at: string;
  source: ConfigSourceKind;
  version?: string;
  changedSections: ConfigSection[];
  restartRequired: string[];
  error?: string;
}

export interface ConfigStatus {
  source: ConfigSourceKind;
  version: string;
  appliedAt: string;
  lastAttempt: { ok: boolean; at: string; error: string | null };
  history: ReloadAttempt[];
}

const HISTORY_LIMIT = 20;
const reloadCounter = metrics
  .getMeter('msproject.config')
  .createCounter('config_reloads', { description: 'Dynamic config reload attempts by result' });

/** The last reload attempts (errors already scrubbed), counted by result, for status and metrics. */
export class ReloadHistory {
  private readonly attempts: ReloadAttempt[] = [];

  record(attempt: ReloadAttempt): ReloadAttempt {
    this.attempts.push(attempt);
    if (this.attempts.length > HISTORY_LIMIT) {
      this.attempts.splice(0, this.attempts.length - HISTORY_LIMIT);
    }
    reloadCounter.add(1, { result: attempt.outcome, source: attempt.source });
    return attempt;
  }

  status(applied: { source: ConfigSourceKind; version: string; appliedAt: string }): ConfigStatus {
    const last = this.attempts.at(-1);
    return {
      ...applied,
      lastAttempt: last
        ? { ok: last.ok, at: last.at, error: last.error ?? null }
        : { ok: true, at: applied.appliedAt, error: null },
      history: [...this.attempts],
    };
  }
}
