import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forwardingProxy } from '@/infra/generations/forwarding-proxy';
import { RequestScope } from '@/infra/generations/request-scope';
import { Generation, Swappable } from '@/infra/generations/swappable';
import { driverInternals } from '@/infra/database/replica-routing';
import type { DataSource } from 'typeorm';

class Counter {
  constructor(
    readonly name: string,
    public count = 0,
  ) {}

  increment(): number {
    return ++this.count;
  }
}

function swappableCounter(closed: string[] = []): Swappable<Counter> {
  return new Swappable('counter', new Counter('first'), 'first', (counter) => {
    closed.push(counter.name);
    return Promise.resolve();
  });
}

describe('Generation leases', () => {
  it('is idle at once with no lease, and only after the last of several is released', async () => {
    const generation = new Generation(1, 'resource', 'label');
    assert.equal(await generation.idle(0), true);
    const first = generation.acquire();
    const second = generation.acquire();
    let idle: boolean | undefined;
    const waiting = generation.idle(60_000).then((result) => (idle = result));
    first();
    first(); // releasing twice counts once
    await Promise.resolve();
    assert.equal(idle, undefined);
    assert.equal(generation.activeLeases, 1);
    second();
    assert.equal(await waiting, true);
    assert.equal(generation.activeLeases, 0);
  });

  it('gives up waiting when the drain timeout passes first', async () => {
    const generation = new Generation(1, 'resource', 'label');
    generation.acquire();
    assert.equal(await generation.idle(5), false);
    assert.equal(generation.activeLeases, 1);
  });
});

describe('Swappable', () => {
  it('switches synchronously and closes the old generation after its users are done', async () => {
    const closed: string[] = [];
    const swappable = swappableCounter(closed);
    const release = swappable.current.acquire();
    const old = swappable.switchTo(new Counter('second'), 'second');
    assert.equal(swappable.current.resource.name, 'second');
    assert.ok(swappable.current.id > old.id);
    const retiring = swappable.retire(old, 60_000);
    await Promise.resolve();
    assert.deepEqual(closed, [], 'closed while still in use');
    release();
    const report = await retiring;
    assert.deepEqual(closed, ['first']);
    assert.equal(report.drained, true);
    assert.equal(report.leftLeases, 0);
  });

  it('closes an undrained generation at the timeout and reports its leases', async () => {
    const closed: string[] = [];
    const swappable = swappableCounter(closed);
    swappable.current.acquire();
    const old = swappable.switchTo(new Counter('second'), 'second');
    const report = await swappable.retire(old, 5);
    assert.deepEqual(closed, ['first']);
    assert.equal(report.drained, false);
    assert.equal(report.leftLeases, 1);
  });
});

describe('RequestScope', () => {
  it('pins one generation for a whole unit of work, across a switch in the middle', async () => {
    const scope = new RequestScope();
    const swappable = swappableCounter();
    scope.register(swappable as Swappable<unknown>);
    const seen = await scope.run(async () => {
      const before = scope.resolve(swappable).name;
      swappable.switchTo(new Counter('second'), 'second');
      await Promise.resolve();
      return [before, scope.resolve(swappable).name];
    });
    assert.deepEqual(seen, ['first', 'first']);
    assert.equal(scope.resolve(swappable).name, 'second', 'outside a unit: the current one');
  });

  it('holds its lease until both the opener and a retainer are done', () => {
    const scope = new RequestScope();
    const swappable = swappableCounter();
    scope.register(swappable as Swappable<unknown>);
    const pinned = swappable.current;
    const { result: retained, end } = scope.open(() => scope.retain());
    assert.equal(pinned.activeLeases, 1);
    end();
    assert.equal(pinned.activeLeases, 1, 'released while the handler still runs');
    retained();
    assert.equal(pinned.activeLeases, 0);
  });

  it('joins an outer unit of work instead of pinning again', () => {
    const scope = new RequestScope();
    const swappable = swappableCounter();
    scope.register(swappable as Swappable<unknown>);
    const { end } = scope.open(() => {
      const inner = scope.open(() => swappable.current.activeLeases);
      inner.end();
      assert.equal(inner.result, 1);
      assert.equal(swappable.current.activeLeases, 1);
    });
    end();
    assert.equal(swappable.current.activeLeases, 0);
  });

  it('remembers that a unit of work used the primary, and only that unit', async () => {
    const scope = new RequestScope();
    const [wrote, other] = await Promise.all([
      scope.run(async () => {
        scope.markUsedPrimary();
        await Promise.resolve();
        return scope.usedPrimary;
      }),
      scope.run(async () => {
        await Promise.resolve();
        return scope.usedPrimary;
      }),
    ]);
    assert.equal(wrote, true);
    assert.equal(other, false);
    assert.equal(scope.usedPrimary, false);
  });
});

describe('forwardingProxy', () => {
  it('forwards reads, writes and method calls to whatever is current, keeping instanceof', () => {
    let current = new Counter('first');
    const proxy = forwardingProxy(Counter.prototype, () => current);
    assert.ok(proxy instanceof Counter);
    assert.equal(proxy.increment(), 1);
    current = new Counter('second', 10);
    assert.equal(proxy.name, 'second');
    assert.equal(proxy.increment(), 11);
    proxy.count = 42;
    assert.equal(current.count, 42);
    assert.ok('increment' in proxy);
  });

  it('has the prototype of whatever is current, so instanceof tells the truth', () => {
    class Other {}
    let current: object = new Counter('first');
    const proxy = forwardingProxy<object>(Counter.prototype, () => current);
    assert.ok(proxy instanceof Counter);
    current = new Other();
    assert.ok(proxy instanceof Other);
    assert.ok(!(proxy instanceof Counter));
  });

  it('is not a thenable, so that Nest does not await it as a promise', () => {
    const proxy = forwardingProxy(Counter.prototype, () => new Counter('first'));
    assert.equal((proxy as unknown as { then?: unknown }).then, undefined);
  });
});

describe('read-replica routing', () => {
  const complete = {
    createQueryRunner: () => undefined,
    obtainMasterConnection: () => undefined,
    obtainSlaveConnection: () => undefined,
    poolCluster: { getConnection: () => undefined },
  };

  it('accepts the driver internals it wraps', () => {
    assert.doesNotThrow(() => driverInternals({ driver: complete } as unknown as DataSource));
  });

  it('fails loudly, naming what changed, when the driver internals change shape', () => {
    const { obtainSlaveConnection: _removed, ...changed } = complete;
    assert.throws(
      () => driverInternals({ driver: { ...changed, poolCluster: {} } } as unknown as DataSource),
      /obtainSlaveConnection, poolCluster\.getConnection/,
    );
  });
});
