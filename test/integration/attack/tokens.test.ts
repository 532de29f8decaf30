import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attackedApp } from '../../support/attack/attack-world';
import { AttackTally } from '../../support/attack/attack-tally';
import { forgeries, type JwtSecrets } from '../../support/attack/forged-tokens';
import { GrpcAdapter } from '../../support/attack/grpc-adapter';
import { RestAdapter } from '../../support/attack/rest-adapter';
import type { AttackRoute, RouteAdapter } from '../../support/attack/route-adapter';
import { logIn } from '../../support/members';

describe('attack: forged tokens', () => {
  const subject = attackedApp();

  /**
   * Every forgery as the bearer of each guarded route that takes no ids, and in each token
   * field (refresh, verify). A forgery that gets through may have changed the attacker's
   * session (a logout, a rotation): the attacker logs in again before the next one.
   */
  async function forge(adapter: RouteAdapter): Promise<AttackTally> {
    const tally = new AttackTally(adapter.label);
    const secrets = subject.app.config.jwt as JwtSecrets;
    const routes = (await adapter.routes()).filter(
      (route) => (!route.isPublic && route.idSlots.length === 0) || route.tokenFields.length > 0,
    );
    const resources = await subject.world.resources();
    let attacker = await logIn(subject.app, subject.world.stranger.input);
    for (const route of routes) {
      tally.routes++;
      for (let index = 0; ; index++) {
        const forgery = forgeries(secrets, attacker, subject.world.owner.id)[index];
        if (!forgery) break;
        const targets = attempts(route, forgery.token.bind(forgery));
        for (const { where, plan, authorization } of targets) {
          const outcome = await adapter.call(route, { resources, fields: plan }, { authorization });
          const accepted = outcome.kind !== 'unauthenticated';
          tally.record(
            route.name,
            'attacker',
            `${forgery.label} ${where}`,
            outcome,
            accepted ? 'expected unauthenticated' : undefined,
          );
          if (accepted) attacker = await logIn(subject.app, subject.world.stranger.input);
        }
      }
    }
    return tally;
  }

  function attempts(route: AttackRoute, token: (kind: 'access' | 'refresh') => string) {
    if (route.tokenFields.length === 0) {
      return [{ where: 'as bearer', plan: {}, authorization: `Bearer ${token('access')}` }];
    }
    return route.tokenFields.map((field) => ({
      where: `in ${field}`,
      plan: { [field]: token(/refresh/i.test(field) ? 'refresh' : 'access') },
      authorization: undefined,
    }));
  }

  it('answers 401 to every forged token on REST', async (t) => {
    const tally = await forge(new RestAdapter(subject.app));
    t.diagnostic(tally.summary('operations'));
    assert.ok(tally.routes >= 5, `only ${tally.routes} operations`);
    tally.assertClean();
  });

  it('answers UNAUTHENTICATED to every forged token on gRPC', async (t) => {
    const adapter = new GrpcAdapter(subject.app);
    try {
      const tally = await forge(adapter);
      t.diagnostic(tally.summary('RPCs'));
      assert.ok(tally.routes >= 5, `only ${tally.routes} RPCs`);
      tally.assertClean();
    } finally {
      adapter.close();
    }
  });
});
