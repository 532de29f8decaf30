import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = join(__dirname, '../../..');
const CHECKER = join(root, 'scripts/check-docker.mjs');

function runChecker(repository = root) {
  const result = spawnSync(process.execPath, [CHECKER, repository], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('docker stack', () => {
  it('parses, pins released image tags, and matches the app config (check-docker)', () => {
    const { status, output } = runChecker();
    assert.equal(status, 0, output);
    assert.match(output, /\d+ passed, 0 failed/);
  });

  describe('catches a broken copy of the stack', () => {
    let copy: string;

    before(() => {
      copy = mkdtempSync(join(tmpdir(), 'msproject-docker-'));
      for (const path of [
        'docker',
        'config',
        'src/config/bootstrap.ts',
        'src/config/sources/snapshot.store.ts',
        'src/health/health.controller.ts',
        'package.json',
      ]) {
        cpSync(join(root, path), join(copy, path), { recursive: true });
      }
      writeFileSync(join(copy, 'package-lock.json'), '{}');
      assert.equal(runChecker(copy).status, 0, runChecker(copy).output);
    });

    after(() => rmSync(copy, { recursive: true, force: true }));

    function broken(file: string, from: string | RegExp, to: string): string {
      const path = join(copy, file);
      const original = readFileSync(path, 'utf8');
      const changed = original.replace(from, to);
      assert.notEqual(changed, original, `${String(from)} not found in ${file}`);
      writeFileSync(path, changed);
      try {
        const { status, output } = runChecker(copy);
        assert.equal(status, 1, output);
        return output;
      } finally {
        writeFileSync(path, original);
      }
    }

    it('MySQL connections below instances × pool × 2 + Nacos + headroom', () => {
      assert.match(
        broken('docker/compose.yaml', /--max-connections=300\n/, '--max-connections=249\n'),
        /mysql-primary: --max-connections \(249\) is below appInstances 2 × maxOpenConns 50 × 2 \+ Nacos 20 \+ headroom 30 = 250/,
      );
      assert.match(
        broken('docker/nacos/config.yaml', 'maxOpenConns: 50', 'maxOpenConns: 80'),
        /mysql-primary: --max-connections \(300\) is below appInstances 2 × maxOpenConns 80 × 2 \+ Nacos 20 \+ headroom 30 = 370/,
      );
    });

    it('a connection budget for fewer app instances than compose runs', () => {
      assert.match(
        broken('docker/compose.yaml', 'appInstances: 2', 'appInstances: 1'),
        /x-connection-budget.appInstances \(1\) differs from the 2 app instances compose runs \(app × 2\)/,
      );
      assert.match(
        broken('docker/compose.yaml', 'replicas: 2', 'replicas: 3'),
        /x-connection-budget.appInstances \(2\) differs from the 3 app instances compose runs/,
      );
    });

    it('an app instance that publishes a host port, skips naming, or is killed mid-drain', () => {
      assert.match(
        broken(
          'docker/compose.yaml',
          'stop_grace_period: 20s\n    environment:',
          "stop_grace_period: 20s\n    ports: ['127.0.0.1:8090:8080']\n    environment:",
        ),
        /app: an app instance must not publish host ports/,
      );
      assert.match(
        broken(
          'docker/compose.yaml',
          "NACOS_NAMING_ENABLED: 'true'",
          "NACOS_NAMING_ENABLED: 'false'",
        ),
        /app: NACOS_NAMING_ENABLED must be true/,
      );
      assert.match(
        broken(
          'docker/compose.yaml',
          "NACOS_NAMING_ENABLED: 'true'",
          "NACOS_NAMING_ENABLED: 'true'\n      NACOS_NAMING_ADVERTISE_HOST: 10.0.0.5",
        ),
        /app: NACOS_NAMING_ADVERTISE_HOST would register all 2 replicas at one address/,
      );
      assert.match(
        broken('docker/compose.yaml', 'stop_grace_period: 20s', 'stop_grace_period: 10s'),
        /app: stop_grace_period \(10s\) is shorter than server.shutdownGraceMs 5000 \+ server.shutdownTimeoutMs 10000/,
      );
    });

    it('the load balancer on every interface, unpinned, or as root', () => {
      const output = broken(
        'docker/compose.yaml',
        "- '127.0.0.1:8080:8080' # HTTP\n",
        "- '8080:8080' # HTTP\n",
      );
      assert.match(output, /service lb: port 8080:8080 is published on every interface/);
      assert.match(output, /lb: port 8080 \(HTTP\) is not published on 127.0.0.1/);
      assert.match(
        broken('docker/compose.yaml', 'image: haproxy:3.2.21-alpine', 'image: haproxy:lts-alpine'),
        /service lb: image haproxy:lts-alpine is not pinned to a released version/,
      );
      assert.match(
        broken('docker/compose.yaml', 'user: haproxy', "user: '0'"),
        /lb: must run as a non-root user/,
      );
    });

    it('HAProxy checking a route other than readiness, or the wrong port', () => {
      const output = broken(
        'docker/haproxy/haproxy.cfg',
        /option httpchk GET \/health\/ready/g,
        'option httpchk GET /health/live',
      );
      assert.match(
        output,
        /backend app_http: option httpchk must GET \/health\/ready \(the app's readiness route\), not GET \/health\/live/,
      );
      assert.match(output, /backend app_grpc: option httpchk must GET \/health\/ready/);
      assert.match(
        broken('docker/haproxy/haproxy.cfg', 'app:8881 proto h2', 'app:8882 proto h2'),
        /backend app_grpc: servers must target an app service on port 8881 \(gRPC, grpc.port of docker\/nacos\/config.yaml\), not app:8882/,
      );
      assert.match(
        broken('docker/haproxy/haproxy.cfg', /check port 8080/g, 'check port 8881'),
        /backend app_grpc: health checks must go to the HTTP port 8080/,
      );
      assert.match(
        broken(
          'docker/haproxy/haproxy.cfg',
          /( {2}server app\d app:8881 proto h2 check port 8080 check-proto h1\n)+/,
          '  server-template app 4 app:8881 proto h2 check port 8080 check-proto h1\n',
        ),
        /backend app_grpc: check-proto on a server-template reaches only its first server/,
      );
    });

    it('HAProxy without DNS resolution or re-dispatch, cutting a draining instance, or marking it down too late', () => {
      assert.match(
        broken('docker/haproxy/haproxy.cfg', 'init-addr none resolvers docker', 'check'),
        /backend app_http: servers must resolve through a resolvers section with init-addr none/,
      );
      assert.match(
        broken('docker/haproxy/haproxy.cfg', ' init-state fully-down', ''),
        /backend app_http: servers need init-state down or fully-down/,
      );
      assert.match(
        broken('docker/haproxy/haproxy.cfg', 'option redispatch 1\n', '\n'),
        /backend app_http: option redispatch and retries \(at least 1\) are expected/,
      );
      assert.match(
        broken(
          'docker/haproxy/haproxy.cfg',
          'check inter 1s fall 2 rise 2',
          'check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions',
        ),
        /backend app_grpc: on-marked-down shutdown-sessions would cut the requests a stopping instance still serves in its grace/,
      );
      assert.match(
        broken('docker/haproxy/haproxy.cfg', 'fall 2', 'fall 5'),
        /backend app_http: a stopping instance is marked down after up to 6000 ms .* not within server.shutdownGraceMs 5000/,
      );
    });

    it('instances sharing the config snapshot while it is written in place', () => {
      assert.match(
        broken(
          'src/config/sources/snapshot.store.ts',
          'await rename(temporary, this.path);',
          'void rename;',
        ),
        /2 app instances share the config-snapshot volume, but src\/config\/sources\/snapshot.store.ts does not write a temp file and rename it/,
      );
    });

    it('a Redis password on the command line', () => {
      assert.match(
        broken(
          'docker/compose.yaml',
          "entrypoint: ['/bin/sh', '/usr/local/etc/redis/start.sh']",
          "command: ['redis-server', '--requirepass', '${REDIS_PASSWORD}']",
        ),
        /redis: the password must not be on the command line/,
      );
    });

    it('a Nacos port on every interface, and 9849 in standalone mode', () => {
      const output = broken(
        'docker/compose.yaml',
        "- '127.0.0.1:9848:9848' # client gRPC",
        "- '9848:9848'\n      - '9849:9849'",
      );
      assert.match(output, /service nacos: port 9848:9848 is published on every interface/);
      assert.match(output, /nacos: port 9849 must not be published in standalone mode/);
    });

    it('a secret left at its placeholder is refused by the preflight', () => {
      assert.match(
        broken(
          'docker/preflight.sh',
          /\*\[Cc\]\[Hh\]\[Aa\]\[Nn\]\[Gg\]\[Ee\]-\[Mm\]\[Ee\]\*\)/,
          'no-placeholder-check)',
        ),
        /docker\/preflight.sh does not refuse the docker\/.env.example value of MYSQL_ROOT_PASSWORD/,
      );
    });

    it('a mutable tag, and the end-of-life Jaeger v1 image', () => {
      assert.match(
        broken('docker/compose.yaml', 'image: redis:7.4.10', 'image: redis:latest'),
        /image redis:latest is not pinned to a released version/,
      );
      assert.match(
        broken(
          'docker/compose.yaml',
          'image: jaegertracing/jaeger:2.20.0',
          'image: jaegertracing/all-in-one:1.65.0',
        ),
        /Jaeger v1 is end of life/,
      );
    });

    it('MinIO unpinned, without a healthcheck, with a shipped password, or the app as its root', () => {
      assert.match(
        broken(
          'docker/compose.yaml',
          'image: minio/minio:RELEASE.2025-04-22T22-12-26Z',
          'image: minio/minio:latest',
        ),
        /image minio\/minio:latest is not pinned to a released version/,
      );
      assert.match(
        broken(
          'docker/compose.yaml',
          "healthcheck:\n      test: ['CMD', 'mc', 'ready', 'local']",
          "labels:\n      test: 'none'",
        ),
        /minio: a healthcheck is expected/,
      );
      assert.match(
        broken(
          'docker/compose.yaml',
          /MINIO_ROOT_PASSWORD: \$\{MINIO_ROOT_PASSWORD:\?set MINIO_ROOT_PASSWORD in docker\/.env\}\n    ports/,
          'MINIO_ROOT_PASSWORD: minioadmin\n    ports',
        ),
        /minio: MINIO_ROOT_PASSWORD must come from docker\/.env/,
      );
      assert.match(
        broken(
          'docker/nacos/config.yaml',
          'accessKeyId: msproject-app',
          'accessKeyId: msproject-admin',
        ),
        /storage.s3.accessKeyId must be minio-setup's app user, not the root user/,
      );
    });

    it('a Grafana dashboard without a panel people look for', () => {
      assert.match(
        broken('docker/grafana/dashboards/msproject.json', '"Dropped spans"', '"Spans"'),
        /the Grafana dashboard lacks the panel "Dropped spans"/,
      );
    });
  });
});
