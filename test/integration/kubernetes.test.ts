import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadBootstrap } from '@/config/bootstrap';
import { readOverrides } from '@/config/env-overrides';
import { appConfigSchema } from '@/config/schema';
import { startTestApp, type TestApp } from '../support/app';

const root = join(__dirname, '../../..');
const OVERLAYS = ['deploy/kubernetes/base', 'deploy/kubernetes/overlays/production'];

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Probe {
  httpGet: { path: string; port: string };
}

interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { sleep: { seconds: number } } };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { terminationGracePeriodSeconds: number; containers: Container[] };
}

/** `kubectl kustomize` of one directory, as objects. */
function render(directory: string): KubernetesObject[] {
  const result = spawnSync('kubectl', ['kustomize', join(root, directory)], { encoding: 'utf8' });
  assert.ok(!result.error, `kubectl is needed to render the manifests: ${String(result.error)}`);
  assert.equal(result.status, 0, result.stderr);
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesObject);
}

/** The kubernetes-models class of an object's apiVersion and kind (an ES module). */
async function modelOf(object: KubernetesObject) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  const path = ['kubernetes-models', group, version, object.kind].filter(Boolean).join('/');
  const module = (await import(path)) as Record<
    string,
    new (data: unknown) => {
      validate(): void;
    }
  >;
  return module[object.kind];
}

function one(objects: KubernetesObject[], kind: string): KubernetesObject {
  const found = objects.filter((object) => object.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0];
}

for (const directory of OVERLAYS) {
  describe(`the Kubernetes manifests of ${directory}`, () => {
    const objects = render(directory);
    const deployment = one(objects, 'Deployment');
    const config = one(objects, 'ConfigMap').data!;
    const template = deployment.spec!.template as PodTemplate;
    const container = template.spec.containers[0];

    it('render, and every object validates against the Kubernetes schemas', async () => {
      assert.deepEqual(objects.map((object) => object.kind).sort(), [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'Service',
        'Service',
      ]);
      for (const object of objects) {
        const Model = await modelOf(object);
        assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}`);
        assert.doesNotThrow(
          () => new Model(object).validate(),
          `${object.kind} ${object.metadata.name}`,
        );
      }
    });

    it("select the Deployment's pods from both Services, the budget and the autoscaler", () => {
      const labels = template.metadata.labels;
      const matches = (selector: Record<string, string>) =>
        Object.entries(selector).every(([key, value]) => labels[key] === value);
      for (const service of objects.filter((object) => object.kind === 'Service')) {
        assert.ok(matches(service.spec!.selector as Record<string, string>), service.metadata.name);
      }
      const budget = one(objects, 'PodDisruptionBudget').spec!.selector as {
        matchLabels: Record<string, string>;
      };
      assert.ok(matches(budget.matchLabels));
      const target = one(objects, 'HorizontalPodAutoscaler').spec!.scaleTargetRef as {
        kind: string;
        name: string;
      };
      assert.deepEqual(target, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
    });

    it('configure only keys the app knows: bootstrap variables and APP_ overrides of the schema', () => {
      const overrides = readOverrides(appConfigSchema, config);
      assert.ok(overrides.length > 0);
      const bootstrap = loadBootstrap({ configDir: join(root, 'config'), env: config });
      assert.equal(bootstrap.nacos.enabled, true);
      assert.equal(bootstrap.telemetry.exporter, 'otlp');
    });

    it('listen on the ports the container declares, and the gRPC Service is headless', () => {
      const ports = Object.fromEntries(
        container.ports.map((port) => [port.name, port.containerPort]),
      );
      assert.equal(ports.http, Number(config.APP_SERVER__PORT));
      assert.equal(ports.grpc, Number(config.APP_GRPC__PORT));
      assert.equal(config.APP_SERVER__HOST, '0.0.0.0');
      assert.equal(config.APP_GRPC__HOST, '0.0.0.0');
      const grpc = objects.find((object) => object.metadata.name.endsWith('-grpc'))!;
      assert.equal(grpc.spec!.clusterIP, 'None');
    });

    it("wait before SIGTERM as long as the app's own grace, and give the whole shutdown time", () => {
      const graceSeconds = Number(config.APP_SERVER__SHUTDOWNGRACEMS) / 1000;
      const drainSeconds = Number(config.APP_SERVER__SHUTDOWNTIMEOUTMS) / 1000;
      assert.ok(graceSeconds > 0);
      assert.equal(container.lifecycle.preStop.sleep.seconds, graceSeconds);
      assert.ok(
        template.spec.terminationGracePeriodSeconds >= graceSeconds * 2 + drainSeconds,
        'terminationGracePeriodSeconds must cover the preStop wait, the grace and the drain',
      );
    });
  });
}

describe('the Kubernetes probes against the running app', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app?.close());

  it('point at routes that answer 200 on the http port', async () => {
    const [deployment] = render(OVERLAYS[0]).filter((object) => object.kind === 'Deployment');
    const [container] = (deployment.spec!.template as PodTemplate).spec.containers;
    for (const probe of [
      container.startupProbe,
      container.livenessProbe,
      container.readinessProbe,
    ]) {
      assert.equal(probe.httpGet.port, 'http');
      const response = await fetch(`${app.baseUrl}${probe.httpGet.path}`);
      assert.equal(response.status, 200, probe.httpGet.path);
    }
  });
});
