import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { collectSecrets, redact } from '@/config/redact';
import { RESTART_REQUIRED_PATHS, SECRET_KEY_PATTERN, SECRET_PATHS } from '@/config/schema';

/** Every dotted path to a string in a document, list indexes written `*`. */
function stringPaths(node: unknown, path = ''): string[] {
  if (typeof node === 'string') return [path];
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, child]) =>
    stringPaths(child, path ? `${path}.${Array.isArray(node) ? '*' : key}` : key),
  );
}

describe('redaction', () => {
  it('collects the values of the keys the schema declares secret, lists included', () => {
    const secrets = collectSecrets({
      db: { master: { password: 'pw-master' }, slaves: [{ password: 'pw-slave' }] },
      jwt: { accessSecret: 'jwt-secret-value', accessExp: 10 },
      server: { name: 'msproject' },
    });
    assert.deepEqual([...secrets].sort(), ['jwt-secret-value', 'pw-master', 'pw-slave']);
  });

  it('declares secret every string key of the config whose name looks like a credential', () => {
    const document = parse(
      readFileSync(join(__dirname, '../../../config/config.yaml'), 'utf8'),
    ) as { db: Record<string, unknown> };
    const withSlave = { ...document, db: { ...document.db, slaves: [{ password: 'x' }] } };
    const looksSecret = stringPaths(withSlave).filter((path) =>
      SECRET_KEY_PATTERN.test(path.split('.').at(-1)!),
    );
    assert.ok(looksSecret.length >= 6);
    for (const path of looksSecret)
      assert.ok(SECRET_PATHS.includes(path), `${path} is not declared secret`);
  });

  it('derives the keys bound at start from the schema', () => {
    for (const path of ['server.port', 'grpc.port', 'log.format', 'ids.secret']) {
      assert.ok(RESTART_REQUIRED_PATHS.includes(path), path);
    }
    for (const path of ['log.level', 'db.master.port', 'jwt.accessSecret', 'redis.port']) {
      assert.ok(!RESTART_REQUIRED_PATHS.includes(path), path);
    }
  });

  it('replaces every occurrence of a secret in a message', () => {
    assert.equal(
      redact('Access denied for pw-master (using pw-master)', ['pw-master']),
      'Access denied for [redacted] (using [redacted])',
    );
  });
});
