import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attackedApp } from '../../support/attack/attack-world';
import { AttackTally } from '../../support/attack/attack-tally';
import { GrpcAdapter } from '../../support/attack/grpc-adapter';
import { OWNED_KINDS } from '../../support/attack/id-kinds';
import type { Outcome } from '../../support/attack/outcome';
import { RestAdapter } from '../../support/attack/rest-adapter';
import { bearer, readsFirst, type RouteAdapter } from '../../support/attack/route-adapter';

describe('attack: members reach only what is theirs', () => {
  const subject = attackedApp();

  /**
   * For every route that takes ids, on fresh resources of the owner: a stranger learns
   * nothing (not found, or the id field refused as for an unknown id) and never sees the
   * owner's contact details; a project member without the owner role is refused documented
   * owner-only operations and allowed the rest; an id of another kind is not found; the
   * owner is allowed (so the refusals above are about who asks, not about the ids).
   */
  async function probeAccess(adapter: RouteAdapter): Promise<AttackTally> {
    const tally = new AttackTally(adapter.label);
    const { owner, stranger, projectMember } = subject.world;
    const secrets = [owner.input.email, owner.input.mobile];
    // Routes that change nothing come first and share one set: nothing has changed it yet.
    const shared = await subject.world.resources();
    for (const route of readsFirst(await adapter.routes())) {
      if (route.idSlots.length === 0) continue;
      tally.routes++;
      const unmapped = route.idSlots.filter((slot) => !slot.kind);
      if (unmapped.length) {
        for (const slot of unmapped) {
          tally.fail(
            route.name,
            `no fixture id for "${slot.name}": map its name in test/support/attack/id-kinds.ts`,
          );
        }
        continue;
      }
      const owned = route.idSlots.filter((slot) => OWNED_KINDS.has(slot.kind!));
      const resources = route.readOnly ? shared : await subject.world.resources();
      const plan = { resources };
      const check = (who: string, input: string, outcome: Outcome, problem: string | false) =>
        tally.record(route.name, who, input, outcome, problem || undefined);

      const asStranger = await adapter.call(route, plan, bearer(stranger.accessToken));
      const leaks = secrets.some((secret) => asStranger.text.includes(secret));
      check('stranger', "owner's ids", asStranger, leaks && "shows the owner's email or mobile");
      if (owned.length) {
        const refusedField = owned.some((slot) => !slot.target && slot.name === asStranger.field);
        const hidden =
          asStranger.kind === 'not-found' ||
          (asStranger.kind === 'invalid' && refusedField && !owned.some((slot) => slot.target));
        check('stranger', "owner's ids", asStranger, !hidden && 'expected not found');

        const asMember = await adapter.call(route, plan, bearer(projectMember.accessToken));
        if (route.ownerOnly) {
          check(
            'project member',
            'owner-only operation',
            asMember,
            asMember.kind !== 'forbidden' && 'expected forbidden',
          );
        } else {
          const refused = [
            'forbidden',
            'not-found',
            'unauthenticated',
            'unavailable',
            'fault',
          ].includes(asMember.kind);
          check(
            'project member',
            "a project's ids",
            asMember,
            refused && `expected allowed, got ${asMember.kind}`,
          );
        }
        for (const slot of owned.filter((entry) => entry.target)) {
          const wrongKind = await adapter.call(
            route,
            { resources, ids: { [slot.name]: resources.otherThan(slot.kind!) } },
            bearer(owner.accessToken),
          );
          check(
            'owner',
            `${slot.name} of another kind`,
            wrongKind,
            wrongKind.kind !== 'not-found' && 'expected not found',
          );
        }
      }
      // On resources of its own: the project member may have changed these (left the task).
      const asOwner = await adapter.call(
        route,
        { resources: route.readOnly ? shared : await subject.world.resources() },
        bearer(owner.accessToken),
      );
      const ownerRefused = [
        'forbidden',
        'not-found',
        'unauthenticated',
        'unavailable',
        'fault',
      ].includes(asOwner.kind);
      check(
        'owner',
        'own ids',
        asOwner,
        ownerRefused && `expected allowed, got ${asOwner.kind}: the fixture ids are wrong`,
      );
    }
    return tally;
  }

  it('keeps every REST id-bearing operation to its members and owner', async (t) => {
    const tally = await probeAccess(new RestAdapter(subject.app));
    t.diagnostic(tally.summary('operations with ids'));
    assert.ok(tally.routes >= 25, `only ${tally.routes} operations with ids`);
    tally.assertClean();
  });

  it('keeps every gRPC id-bearing RPC to its members and owner', async (t) => {
    const adapter = new GrpcAdapter(subject.app);
    try {
      const tally = await probeAccess(adapter);
      t.diagnostic(tally.summary('RPCs with ids'));
      assert.ok(tally.routes >= 20, `only ${tally.routes} RPCs with ids`);
      tally.assertClean();
    } finally {
      adapter.close();
    }
  });
});
