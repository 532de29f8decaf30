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
      for (const path of ['docker', 'config', 'src/config/bootstrap.ts', 'package.json']) {
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
        broken('docker/compose.yaml', /--max-connections=200\n/, '--max-connections=149\n'),
        /mysql-primary: --max-connections \(149\) is below appInstances 1 × maxOpenConns 50 × 2 \+ Nacos 20 \+ headroom 30 = 150/,
      );
      assert.match(
        broken('docker/nacos/config.yaml', 'maxOpenConns: 50', 'maxOpenConns: 80'),
        /mysql-primary: --max-connections \(200\) is below appInstances 1 × maxOpenConns 80 × 2 \+ Nacos 20 \+ headroom 30 = 210/,
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
