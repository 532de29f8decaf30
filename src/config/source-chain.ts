import type { ConfigSourceKind } from './sources/config-source';

/** What an empty answer (no config) of a source means for the start. */
export type WhenEmpty =
  /** Try the next source. */
  | 'next'
  /** The next source is stale by definition: skip it (an empty Nacos means the file, not its old snapshot). */
  | 'skip-next'
  /** Nothing else may stand in: refuse to start. */
  | 'refuse';

export interface ChainLink {
  kind: ConfigSourceKind;
  read(): Promise<string | null>;
  whenEmpty: WhenEmpty;
}

export interface FirstUsable<T> {
  kind: ConfigSourceKind;
  content: string;
  parsed: T;
  /** Why earlier sources were passed over (messages never hold values). */
  problems: string[];
}

/** A source the chain can read: a ConfigSource, or anything with its kind and read. */
type Readable = Pick<ChainLink, 'kind' | 'read'>;

const link = (source: Readable, whenEmpty: WhenEmpty): ChainLink => ({
  kind: source.kind,
  read: () => source.read(),
  whenEmpty,
});

/** The sources a start may read, in order, with the fallback rules as data. */
export function startupChain(sources: {
  nacos?: Readable;
  snapshot?: Readable;
  file: Readable;
  /** The config must come from Nacos (or its snapshot): no file, and an empty Nacos refuses. */
  required: boolean;
}): ChainLink[] {
  const chain: ChainLink[] = [];
  if (sources.nacos) chain.push(link(sources.nacos, sources.required ? 'refuse' : 'skip-next'));
  if (sources.snapshot) chain.push(link(sources.snapshot, 'next'));
  if (!sources.required) chain.push(link(sources.file, 'next'));
  return chain;
}

export class EmptySourceRefused extends Error {
  constructor(readonly kind: ConfigSourceKind) {
    super(`${kind} has no config`);
  }
}

/**
 * Reads the chain in order and returns the first document that parses. A source that cannot be
 * read, or whose document does not validate, is passed over with the reason recorded.
 */
export async function readFirstUsable<T>(
  chain: ChainLink[],
  parse: (content: string, kind: ConfigSourceKind) => T,
  describe: (error: unknown) => string,
): Promise<FirstUsable<T> | { problems: string[] }> {
  const problems: string[] = [];
  for (let index = 0; index < chain.length; index++) {
    const link = chain[index];
    let content: string | null;
    try {
      content = await link.read();
    } catch (error) {
      problems.push(`${link.kind}: ${describe(error)}`);
      continue;
    }
    if (content === null || content.trim() === '') {
      problems.push(`${link.kind}: no config`);
      if (link.whenEmpty === 'refuse') throw new EmptySourceRefused(link.kind);
      if (link.whenEmpty === 'skip-next') index++;
      continue;
    }
    try {
      return { kind: link.kind, content, parsed: parse(content, link.kind), problems };
    } catch (error) {
      problems.push(describe(error));
    }
  }
  return { problems };
}
