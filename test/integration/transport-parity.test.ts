import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_PACKAGES, PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';
import { startTestApp, type TestApp } from '../support/app';
import { enumerateRoutes, type Route } from '../support/routes';
import { join } from 'node:path';

/** The product's RPCs, as proto/ declares them: `Service/Method` (health is infrastructure). */
function protoRpcs(): string[] {
  const root = protoRoot();
  const products = GRPC_PACKAGES.filter((entry) => entry.name.startsWith('msproject.'));
  const definition = loadSync(
    products.map((entry) => join(root, entry.file)),
    { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
  );
  return Object.entries(definition).flatMap(([name, service]) =>
    'format' in service
      ? []
      : Object.keys(service).map((method) => `${name.split('.').at(-1)}/${method}`),
  );
}

describe('REST and gRPC offer the same operations', () => {
  let app: TestApp;
  let routes: Route[];

  before(async () => {
    app = await startTestApp();
    routes = enumerateRoutes(app);
  });
  after(() => app?.close());

  const restOperations = () =>
    routes.filter((route) => route.kind === 'http' && route.path?.startsWith('/api/v1/'));

  it('gives every REST operation an RPC twin that proto/ declares, or a reason it has none', (t) => {
    const rpcs = new Set(protoRpcs());
    const operations = restOperations();
    assert.ok(operations.length >= 40, `only ${operations.length} REST operations found`);
    const unpaired = operations.filter((route) => !route.twin && !route.oneTransport);
    assert.deepEqual(
      unpaired.map((route) => route.name),
      [],
      'declare @RpcTwin or @OneTransportOnly on these',
    );
    const dangling = operations.filter((route) => route.twin && !rpcs.has(route.twin));
    assert.deepEqual(
      dangling.map((route) => `${route.name} -> ${route.twin}`),
      [],
      'twins missing from proto/',
    );
    t.diagnostic(
      `${operations.length} REST operations: ${operations.filter((route) => route.twin).length} with an RPC twin, ` +
        `${operations.filter((route) => route.oneTransport).length} REST-only`,
    );
  });

  it('serves every RPC of proto/, each the twin of a REST operation or with a reason', (t) => {
    const served = new Map(
      routes.filter((route) => route.kind === 'rpc').map((route) => [route.name, route]),
    );
    const twins = new Set(restOperations().flatMap((route) => (route.twin ? [route.twin] : [])));
    const declared = protoRpcs();
    assert.ok(declared.length >= 30, `only ${declared.length} RPCs in proto/`);
    assert.deepEqual(
      declared.filter((rpc) => !served.has(rpc)),
      [],
      'RPCs declared in proto/ but not served',
    );
    assert.deepEqual(
      declared.filter((rpc) => !twins.has(rpc) && !served.get(rpc)?.oneTransport),
      [],
      'RPCs without a REST twin: add the REST operation, or @OneTransportOnly with a reason',
    );
    t.diagnostic(
      `${declared.length} RPCs, ${declared.filter((rpc) => twins.has(rpc)).length} with a REST twin`,
    );
  });
});
