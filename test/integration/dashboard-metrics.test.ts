// Telemetry first: the app's meters bind to the provider it sets.
import '../support/telemetry';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';
import { mergeDeep, startTestApp, type TestApp } from '../support/app';
import { grpcClient, unary } from '../support/grpc-client';
import { call } from '../support/http';

const DASHBOARD = join(__dirname, '../../../docker/grafana/dashboards/msproject.json');

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
}

/** Every metric name a PromQL expression selects, from its syntax tree; throws on a syntax error. */
function selectedMetrics(query: string): string[] {
  // Grafana replaces its range variables with durations before the query reaches Prometheus.
  const expression = query.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
  const names: string[] = [];
  const tree = parser.parse(expression);
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        throw new Error(`PromQL syntax error at ${node.from} in ${expression}`);
      }
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.push(expression.slice(identifier.from, identifier.to));
      }
      // {__name__="…"} selects by name too.
      if (node.name === 'UnquotedLabelMatcher') {
        const label = node.node.getChild('LabelName');
        const value = node.node.getChild('StringLiteral');
        if (label && value && expression.slice(label.from, label.to) === '__name__') {
          names.push(JSON.parse(expression.slice(value.from, value.to)) as string);
        }
      }
    },
  });
  return names;
}

/** The name of every sample in a Prometheus text exposition. */
function exportedMetrics(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (match) names.add(match[1]);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  it('parses every panel query as PromQL', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
    const expressions = dashboard.panels.flatMap((panel) => panel.targets ?? []);
    assert.ok(expressions.length >= dashboard.panels.length, 'every panel has a query');
    for (const { expr } of expressions) assert.ok(selectedMetrics(expr).length > 0, expr);
    assert.throws(() => selectedMetrics('sum(rate(http_server_request_duration_count[5m])'));
  });

  it('queries only metrics a running app exports at /metrics', async () => {
    // Traffic of every kind the dashboard shows: REST, gRPC, a database and a Redis swap.
    const rest = await call(app, 'GET', '/api/v1/me');
    assert.equal(rest.status, 401, JSON.stringify(rest.body));
    const client = grpcClient(
      app.grpcAddress,
      'user/v1/user.proto',
      'msproject.user.v1.UserService',
    );
    try {
      await unary(client, 'GetCaptcha', { mobile: '13800000000' });
    } finally {
      client.close();
    }
    const changed = mergeDeep(app.config, {
      db: { connectTimeoutMs: 4_000 },
      redis: { connectTimeoutMs: 4_000 },
    });
    const attempt = await app.center.apply(stringify(changed), 'file');
    assert.equal(attempt.outcome, 'applied', attempt.error);
    await app.center.settled();

    const response = await fetch(`${app.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    const exported = exportedMetrics(await response.text());
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
    const queried = new Set(
      dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) => selectedMetrics(target.expr)),
      ),
    );
    const missing = [...queried].filter((name) => !exported.has(name));
    assert.deepEqual(missing, [], `exported: ${[...exported].sort().join(', ')}`);
    // The new series, by name: swaps and drains of both resources, each database node.
    for (const name of [
      'generation_swaps_total',
      'generation_drain_duration_bucket',
      'db_node_up',
    ]) {
      assert.ok(exported.has(name), name);
    }
  });
});
