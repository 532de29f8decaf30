import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ConfigInvalidError } from '@/config/config-errors';
import { contentVersion, parseConfig } from '@/config/parse-config';

const embedded = readFileSync(join(__dirname, '../../../config/config.yaml'), 'utf8');

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ConfigInvalidError);
    return error.problems;
  }
  assert.fail('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('accepts the embedded profile and reports its md5 as the version', () => {
    const parsed = parseConfig(embedded, 'file', {});
    assert.equal(parsed.config.db.type, 'sqlite');
    assert.equal(parsed.config.redis.mode, 'memory');
    assert.equal(parsed.version, contentVersion(embedded));
    assert.match(parsed.version, /^[0-9a-f]{32}$/);
  });

  it('returns a frozen config, so that no consumer can change it behind the reload', () => {
    const { config } = parseConfig(embedded, 'file', {});
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  it('rejects empty and blank content', () => {
    assert.deepEqual(
      problemsOf(() => parseConfig('', 'nacos', {})),
      ['content is empty'],
    );
    assert.deepEqual(
      problemsOf(() => parseConfig('  \n', 'nacos', {})),
      ['content is empty'],
    );
    assert.deepEqual(
      problemsOf(() => parseConfig(null, 'nacos', {})),
      ['content is empty'],
    );
  });

  it('rejects invalid YAML without quoting the offending line', () => {
    const secretLine = 'jwt:\n  accessSecret: "hunter2-very-secret\n  bad: [';
    const problems = problemsOf(() => parseConfig(secretLine, 'nacos', {}));
    assert.ok(problems.every((problem) => problem.startsWith('invalid YAML')));
    assert.ok(!problems.join().includes('hunter2'));
  });

  it('rejects duplicate keys', () => {
    const problems = problemsOf(() =>
      parseConfig(`${embedded}\nlog:\n  level: debug\n`, 'nacos', {}),
    );
    assert.match(problems[0], /invalid YAML \(DUPLICATE_KEY/);
  });

  it('names every invalid path and never the value', () => {
    const document = embedded
      .replace('port: 8080', 'port: 99999')
      .replace('level: info', 'level: loud')
      .replace(/accessSecret: .*/, 'accessSecret: short-secret-value');
    const problems = problemsOf(() => parseConfig(document, 'nacos', {}));
    const text = problems.join('\n');
    assert.match(text, /^server\.port: /m);
    assert.match(text, /^log\.level: /m);
    assert.match(text, /^jwt\.accessSecret: /m);
    assert.ok(!text.includes('short-secret-value'));
    assert.ok(!text.includes('99999'));
    assert.ok(!text.includes('loud'));
  });

  it('refuses a weak ids.secret, naming it and not the value', () => {
    const weak = 'change-me-0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
    const document = embedded.replace(/^  secret: .*$/m, `  secret: ${weak}`);
    assert.notEqual(document, embedded);
    const problems = problemsOf(() => parseConfig(document, 'nacos', {})).join();
    assert.match(problems, /^ids\.secret: /);
    assert.ok(!problems.includes(weak));
  });

  it('rejects unknown sections', () => {
    const problems = problemsOf(() => parseConfig(`${embedded}\nmystery:\n  a: 1\n`, 'nacos', {}));
    assert.match(problems.join(), /mystery/);
  });

  it('requires a master when the database is MySQL', () => {
    const document = stringify({
      ...(parseConfig(embedded, 'file', {}).config as object),
      db: { type: 'mysql', slaves: [] },
    });
    assert.match(problemsOf(() => parseConfig(document, 'nacos', {})).join(), /^db\.master: /);
  });
});

describe('APP_ environment overrides', () => {
  it('override a nested value, coerced to the schema type', () => {
    const { config } = parseConfig(embedded, 'file', {
      APP_SERVER__PORT: '9090',
      APP_DB__MASTER__PASSWORD: 'from-env',
      APP_CAPTCHA__EXPOSEINRESPONSE: 'false',
      APP_LOG__LEVEL: 'debug',
    });
    assert.equal(config.server.port, 9090);
    assert.equal(config.db.master?.password, 'from-env');
    assert.equal(config.captcha.exposeInResponse, false);
    assert.equal(config.log.level, 'debug');
  });

  it('reach into list items by index', () => {
    const document = embedded.replace(
      'slaves: []',
      'slaves:\n    - { host: replica, port: 3307, username: app, password: x, db: msproject }',
    );
    const { config } = parseConfig(document, 'file', { APP_DB__SLAVES__0__PASSWORD: 'env-pass' });
    assert.equal(config.db.slaves[0].password, 'env-pass');
    assert.equal(config.db.slaves[0].host, 'replica');
  });

  it('win over the document, whatever the source', () => {
    const { config } = parseConfig(embedded, 'nacos', { APP_JWT__ACCESSEXP: '60' });
    assert.equal(config.jwt.accessExp, 60);
  });

  it('leave bootstrap variables without a double underscore alone', () => {
    const { config } = parseConfig(embedded, 'file', { APP_PROFILE: 'prod', APP_NAME: 'x' });
    assert.equal(config.server.name, 'msproject');
  });

  it('reject an unknown path, naming the variable', () => {
    const problems = problemsOf(() => parseConfig(embedded, 'file', { APP_DB__NOPE: '1' }));
    assert.deepEqual(problems, ['APP_DB__NOPE: unknown config key']);
  });

  it('reject a value of the wrong type, naming the variable and not the value', () => {
    const problems = problemsOf(() =>
      parseConfig(embedded, 'file', { APP_SERVER__PORT: 'eighty' }),
    );
    assert.deepEqual(problems, ['APP_SERVER__PORT: expected a number']);
  });
});
