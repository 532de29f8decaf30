import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigInvalidError } from './config-errors';
import { deepFreeze } from './deep-freeze';
import { applyOverrides, readOverrides } from './env-overrides';
import { appConfigSchema, type AppConfig } from './schema';
import { weakSecretProblems } from './secret-policy';

export interface ParsedConfig {
  config: AppConfig;
  /** md5 of the raw content, as Nacos computes it: the version reported by /health/config. */
  version: string;
}

export function contentVersion(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  // Zod's messages name the expected type or key, never the received value.
  return `${path}: ${issue.message}`;
}

/**
 * Parse → apply environment overrides → validate, secrets' strength included. Throws
 * ConfigInvalidError naming every bad path. Blank content is rejected: a deleted or emptied
 * config is never "no config". Secrets left empty are for the ConfigCenter to generate or
 * refuse (resolveEmptySecrets): only it knows whether a config center is in use.
 */
export function parseConfig(
  content: string | null | undefined,
  origin: string,
  env: NodeJS.ProcessEnv = process.env,
): ParsedConfig {
  if (content === null || content === undefined || content.trim() === '') {
    throw new ConfigInvalidError(['content is empty'], origin);
  }
  const document = parseDocument(content, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    // YAML error messages quote the offending line, which may hold a secret: keep only the
    // error code and position.
    const problems = document.errors.map((error) => {
      const line = error.linePos?.[0];
      return `invalid YAML (${error.code}${line ? ` at line ${line.line}, column ${line.col}` : ''})`;
    });
    throw new ConfigInvalidError(problems, origin);
  }
  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigInvalidError(['(root): expected a mapping of sections'], origin);
  }
  const merged = applyOverrides(raw, readOverrides(appConfigSchema, env));
  const result = appConfigSchema.safeParse(merged);
  const problems = [
    ...(result.success ? [] : result.error.issues.map(describeIssue)),
    ...weakSecretProblems(merged),
  ];
  if (!result.success || problems.length > 0) throw new ConfigInvalidError(problems, origin);
  return { config: deepFreeze(result.data), version: contentVersion(content) };
}
