import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBootstrap } from '@/config/bootstrap';
import { ConfigInvalidError } from '@/config/config-errors';

function directoryWith(bootstrap: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'msproject-bootstrap-'));
  writeFileSync(join(directory, 'bootstrap.yaml'), bootstrap);
  return directory;
}

const SEED_STYLE = `
nacos:
  enabled: true
  namespace: 9a7f-dev
  group: dev
  ipAddr: 10.0.0.5
  port: 8848
  scheme: http
  contextPath: /nacos
`;

describe('loadBootstrap', () => {
  it("reads the seed's nacos keys with defaults for the rest", () => {
    const bootstrap = loadBootstrap({ configDir: directoryWith(SEED_STYLE), env: {} });
    assert.equal(bootstrap.nacos.enabled, true);
    assert.equal(bootstrap.nacos.namespace, '9a7f-dev');
    assert.equal(bootstrap.nacos.group, 'dev');
    assert.equal(bootstrap.nacos.ipAddr, '10.0.0.5');
    assert.equal(bootstrap.nacos.dataId, 'config.yaml');
    assert.equal(bootstrap.app.profile, 'embedded');
  });

  it('lets NACOS_* variables override the file', () => {
    const bootstrap = loadBootstrap({
      configDir: directoryWith(SEED_STYLE),
      env: {
        NACOS_SERVER_ADDR: 'nacos.internal:9848',
        NACOS_NAMESPACE: 'prod',
        NACOS_GROUP: 'PROD_GROUP',
        NACOS_DATA_ID: 'msproject.yaml',
        NACOS_USERNAME: 'svc',
        NACOS_PASSWORD: 'pw',
        NACOS_CONTEXT_PATH: '/cfg',
      },
    });
    assert.deepEqual(
      [
        bootstrap.nacos.ipAddr,
        bootstrap.nacos.port,
        bootstrap.nacos.namespace,
        bootstrap.nacos.group,
      ],
      ['nacos.internal', 9848, 'prod', 'PROD_GROUP'],
    );
    assert.equal(bootstrap.nacos.dataId, 'msproject.yaml');
    assert.equal(bootstrap.nacos.username, 'svc');
    assert.equal(bootstrap.nacos.contextPath, '/cfg');
  });

  it('turns the config center off with NACOS_ENABLED=false', () => {
    const bootstrap = loadBootstrap({
      configDir: directoryWith(SEED_STYLE),
      env: { NACOS_ENABLED: 'false', NACOS_SERVER_ADDR: 'a:1' },
    });
    assert.equal(bootstrap.nacos.enabled, false);
  });

  it('requires the config center with NACOS_REQUIRED, and only when it is on', () => {
    assert.equal(
      loadBootstrap({ configDir: directoryWith(SEED_STYLE), env: {} }).nacos.required,
      false,
    );
    const required = loadBootstrap({
      configDir: directoryWith(SEED_STYLE),
      env: { NACOS_REQUIRED: 'true' },
    });
    assert.equal(required.nacos.required, true);
    assert.throws(
      () =>
        loadBootstrap({
          configDir: directoryWith(SEED_STYLE),
          env: { NACOS_ENABLED: 'false', NACOS_REQUIRED: 'true' },
        }),
      (error: ConfigInvalidError) =>
        error.problems.some((problem) => problem === 'nacos.required: needs nacos.enabled'),
    );
  });

  it('rejects a malformed group, naming the path', () => {
    assert.throws(
      () => loadBootstrap({ configDir: directoryWith('nacos:\n  group: "a b"\n'), env: {} }),
      (error: ConfigInvalidError) =>
        error.problems.some((problem) => problem.startsWith('nacos.group:')),
    );
  });

  it('works with no bootstrap file at all', () => {
    const directory = mkdtempSync(join(tmpdir(), 'msproject-bootstrap-'));
    assert.equal(loadBootstrap({ configDir: directory, env: {} }).nacos.enabled, false);
  });
});
