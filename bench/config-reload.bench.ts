/**
 * Publish → applied latency of the config center: 50 changes published to the Nacos-protocol
 * test server (real hold semantics), each timed from the publish request to the applied event.
 *
 *   npm run bench:config
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { stringify } from 'yaml';
import { mergeDeep, startTestApp } from '../test/support/app';
import { nacosFixture } from '../test/support/nacos-fixture';
import { percentile } from '../test/support/swap-load';

const CHANGES = 50;

async function main() {
  const nacos = await nacosFixture();
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  const [host, port] = nacos.serverAddr.split(':');
  const app = await startTestApp({
    bootstrap: {
      nacos: {
        enabled: true,
        ipAddr: host,
        port: Number(port),
        namespace,
        snapshotDir: await mkdtemp(join(tmpdir(), 'msproject-bench-')),
      },
    },
    beforeStart: (yaml) => nacos.publish('config.yaml', 'DEFAULT_GROUP', yaml, namespace),
  });
  const latencies: number[] = [];
  try {
    await nacos.testServer?.waitForHeldPolls(1);
    for (let change = 1; change <= CHANGES; change++) {
      const content = stringify(
        mergeDeep(app.config, { cache: { memberTtlSeconds: 1000 + change } }),
      );
      const applied = firstValueFrom(
        app.center.attempts$.pipe(filter((attempt) => attempt.outcome === 'applied')),
      );
      const started = performance.now();
      await nacos.publish('config.yaml', 'DEFAULT_GROUP', content, namespace);
      await applied;
      latencies.push(performance.now() - started);
      // The next change is published once the client is listening again, as in production.
      await nacos.testServer?.waitForHeldPolls(1);
    }
  } finally {
    await app.close();
    await nacos.close();
  }
  const format = (value: number) => value.toFixed(2);
  console.log(
    `config reload, publish → applied, ${CHANGES} changes: ` +
      `p50 ${format(percentile(latencies, 50))} ms, p99 ${format(percentile(latencies, 99))} ms, ` +
      `max ${format(Math.max(...latencies))} ms`,
  );
}

void main();
