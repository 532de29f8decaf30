import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectSecrets, redact } from '../../src/config/redact';

describe('redaction', () => {
  it('collects values under secret-looking keys at any depth', () => {
    const secrets = collectSecrets({
      db: { master: { password: 'pw-master' }, slaves: [{ password: 'pw-slave' }] },
      jwt: { accessSecret: 'jwt-secret-value', accessExp: 10 },
      server: { name: 'msproject' },
    });
    assert.deepEqual([...secrets].sort(), ['jwt-secret-value', 'pw-master', 'pw-slave']);
  });

  it('replaces every occurrence of a secret in a message', () => {
    assert.equal(
      redact('Access denied for pw-master (using pw-master)', ['pw-master']),
      'Access denied for [redacted] (using [redacted])',
    );
  });
});
