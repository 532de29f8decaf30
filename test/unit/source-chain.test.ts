import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EmptySourceRefused,
  readFirstUsable,
  startupChain,
  type ChainLink,
} from '@/config/source-chain';
import type { ConfigSourceKind } from '@/config/sources/config-source';

/** A source answering `content`, or failing when it is an Error. */
const source = (kind: ConfigSourceKind, content: string | null | Error) => ({
  kind,
  read: () => (content instanceof Error ? Promise.reject(content) : Promise.resolve(content)),
});

const parse = (content: string) => {
  if (content === 'broken') throw new Error('does not validate');
  return content;
};

async function startFrom(chain: ChainLink[]) {
  return readFirstUsable(chain, parse, (error) => (error as Error).message);
}

describe('the start-up source chain', () => {
  it('takes Nacos when it answers', async () => {
    const chain = startupChain({
      nacos: source('nacos', 'from nacos'),
      snapshot: source('snapshot', 'from snapshot'),
      file: source('file', 'from file'),
      required: false,
    });
    assert.deepEqual(await startFrom(chain), {
      kind: 'nacos',
      content: 'from nacos',
      parsed: 'from nacos',
      problems: [],
    });
  });

  it('falls back to the snapshot while Nacos is unreachable', async () => {
    const found = await startFrom(
      startupChain({
        nacos: source('nacos', new Error('ECONNREFUSED')),
        snapshot: source('snapshot', 'from snapshot'),
        file: source('file', 'from file'),
        required: false,
      }),
    );
    assert.equal('kind' in found && found.kind, 'snapshot');
    assert.deepEqual(found.problems, ['nacos: ECONNREFUSED']);
  });

  it('takes the file, not an old snapshot, when Nacos answers that it has no config', async () => {
    const found = await startFrom(
      startupChain({
        nacos: source('nacos', ''),
        snapshot: source('snapshot', 'stale'),
        file: source('file', 'from file'),
        required: false,
      }),
    );
    assert.equal('kind' in found && found.kind, 'file');
  });

  it('refuses to start on an empty Nacos when the config center is required, with no file', async () => {
    const chain = startupChain({
      nacos: source('nacos', null),
      snapshot: source('snapshot', 'stale'),
      file: source('file', 'from file'),
      required: true,
    });
    assert.deepEqual(
      chain.map((link) => link.kind),
      ['nacos', 'snapshot'],
    );
    await assert.rejects(startFrom(chain), EmptySourceRefused);
  });

  it('passes over a document that does not validate, saying why', async () => {
    const found = await startFrom(
      startupChain({
        snapshot: source('snapshot', 'broken'),
        file: source('file', 'from file'),
        required: false,
      }),
    );
    assert.equal('kind' in found && found.kind, 'file');
    assert.deepEqual(found.problems, ['does not validate']);
  });

  it('reports every problem when nothing is usable', async () => {
    const found = await startFrom(
      startupChain({ file: source('file', new Error('ENOENT')), required: false }),
    );
    assert.ok(!('kind' in found));
    assert.deepEqual(found.problems, ['file: ENOENT']);
  });
});
