import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attackedApp } from '../../support/attack/attack-world';
import { fuzzRoutes } from '../../support/attack/fuzz-routes';
import { GrpcAdapter } from '../../support/attack/grpc-adapter';
import { RestAdapter } from '../../support/attack/rest-adapter';

describe('attack: malformed input on every route', () => {
  const subject = attackedApp();

  it('answers every malformed REST request with a 4xx problem, never a 5xx', async (t) => {
    const tally = await fuzzRoutes(new RestAdapter(subject.app), subject.world);
    t.diagnostic(tally.summary('operations'));
    assert.ok(tally.routes >= 40, `only ${tally.routes} operations in the OpenAPI document`);
    tally.assertClean();
  });

  it('answers every malformed gRPC message and metadata without INTERNAL or UNKNOWN', async (t) => {
    const adapter = new GrpcAdapter(subject.app);
    try {
      const tally = await fuzzRoutes(adapter, subject.world);
      t.diagnostic(tally.summary('RPCs'));
      assert.ok(tally.routes >= 30, `only ${tally.routes} RPCs in proto/`);
      tally.assertClean();
    } finally {
      adapter.close();
    }
  });

  it('lets no request add properties to Object.prototype', () => {
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'attackPolluted'), false);
  });
});
