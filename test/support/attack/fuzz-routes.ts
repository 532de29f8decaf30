import type { AttackWorld } from './attack-world';
import { AttackTally, inPool, judge } from './attack-tally';
import {
  bearer,
  readsFirst,
  type Attack,
  type AttackRoute,
  type Credential,
  type RouteAdapter,
} from './route-adapter';

const IN_FLIGHT = 8;

/**
 * Sends every malformed input of every route of `adapter`, as the owner of the route's ids
 * (in a live session, with fresh resources per route that takes ids) and as nobody.
 */
export async function fuzzRoutes<R extends AttackRoute, A extends Attack>(
  adapter: RouteAdapter<R, A>,
  world: AttackWorld,
): Promise<AttackTally> {
  const tally = new AttackTally(adapter.label);
  const shared = await world.resources();
  // Routes that change nothing come first and share the set, before any attack can change it.
  for (const route of readsFirst(await adapter.routes())) {
    tally.routes++;
    // Other routes that take ids get resources of their own: an attack may change or delete them.
    const own = route.idSlots.length && !route.readOnly;
    const plan = { resources: own ? await world.resources() : shared };
    const credential = bearer(await world.liveSession(world.owner));
    // A plausible call first: it tunes the request the attacks vary.
    const probe = await adapter.call(route, plan, credential);
    tally.record(
      route.name,
      'member',
      'plausible request',
      probe,
      probe.kind === 'fault' ? 'server fault' : undefined,
    );
    const attacks = adapter.attacks(route, plan);
    const callers: { who: string; credential: Credential }[] = [
      { who: 'member', credential: bearer(await world.liveSession(world.owner)) },
      { who: 'anonymous', credential: {} },
    ];
    for (const { who, credential } of callers) {
      const sent =
        who === 'anonymous' && !route.isPublic
          ? attacks.filter((attack) => !attack.content)
          : attacks;
      await inPool(sent, IN_FLIGHT, async (attack) => {
        const outcome = await adapter.send(route, attack, credential);
        const anonymousOnGuarded = who === 'anonymous' && !route.isPublic;
        tally.record(
          route.name,
          who,
          attack.label,
          outcome,
          judge(attack, outcome, anonymousOnGuarded),
        );
      });
    }
  }
  return tally;
}
