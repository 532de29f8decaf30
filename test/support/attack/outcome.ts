/** What an answer means, whatever the transport said it with. */
export type OutcomeKind =
  | 'ok'
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  /** Any other refusal the client is meant to see: a conflict, a rate limit. */
  | 'rejected'
  /** A feature or dependency the server says is unavailable here (HTTP 503): not an input fault. */
  | 'unavailable'
  /** The server failed: a 5xx, INTERNAL, UNKNOWN, a stall past the deadline, a reset. */
  | 'fault';

export interface Outcome {
  kind: OutcomeKind;
  /** As the transport said it: `404`, `NOT_FOUND`. */
  status: string;
  /** The field an error names, when it names one. */
  field?: string;
  /** How the answer breaks its transport's error contract (a 4xx without problem details). */
  breach?: string;
  /** The start of the answer, for failure messages. */
  excerpt: string;
  /** The whole answer, to look for what it must not show. */
  text: string;
  elapsedMs: number;
}

export function excerpt(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length)}… (${text.length} chars)` : flat;
}
