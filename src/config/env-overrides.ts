import { z } from 'zod';
import { ConfigInvalidError } from './config-errors';
import { layersOf } from './schema';

/**
 * Environment overrides of the dynamic config: `APP_` + the config path in upper case with `__`
 * between levels (`APP_DB__MASTER__PASSWORD`, `APP_DB__SLAVES__0__HOST`). They win over every
 * source, so secrets can come from the environment. Variables without `__` (`APP_PROFILE`)
 * belong to the bootstrap layer and are not overrides.
 */
const PREFIX = 'APP_';

type Schema = z.core.$ZodType;

interface Override {
  variable: string;
  path: (string | number)[];
  value: unknown;
}

/** The type under its defaults, optionals and pipes. */
function unwrap(schema: Schema): Schema {
  const layers = layersOf(schema);
  return layers[layers.length - 1];
}

function resolvePath(
  root: Schema,
  variable: string,
  segments: string[],
): { path: (string | number)[]; leaf: Schema } {
  const path: (string | number)[] = [];
  let schema = unwrap(root);
  for (const segment of segments) {
    const def = schema._zod.def as {
      type: string;
      shape?: Record<string, Schema>;
      element?: Schema;
    };
    if (def.type === 'object' && def.shape) {
      const key = Object.keys(def.shape).find((k) => k.toLowerCase() === segment.toLowerCase());
      if (!key) throw new ConfigInvalidError([`${variable}: unknown config key`], 'environment');
      path.push(key);
      schema = unwrap(def.shape[key]);
    } else if (def.type === 'array' && def.element && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      schema = unwrap(def.element);
    } else {
      throw new ConfigInvalidError([`${variable}: unknown config key`], 'environment');
    }
  }
  return { path, leaf: schema };
}

function coerce(variable: string, leaf: Schema, raw: string): unknown {
  const type = (leaf._zod.def as { type: string }).type;
  switch (type) {
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) {
        throw new ConfigInvalidError([`${variable}: expected a number`], 'environment');
      }
      return value;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new ConfigInvalidError([`${variable}: expected true or false`], 'environment');
    case 'array':
    case 'object':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new ConfigInvalidError([`${variable}: expected JSON`], 'environment');
      }
    default:
      return raw;
  }
}

export function readOverrides(schema: Schema, env: NodeJS.ProcessEnv): Override[] {
  const overrides: Override[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(PREFIX) || !variable.includes('__') || raw === undefined) continue;
    const segments = variable.slice(PREFIX.length).split('__');
    const { path, leaf } = resolvePath(schema, variable, segments);
    overrides.push({ variable, path, value: coerce(variable, leaf, raw) });
  }
  return overrides;
}

/** Returns a copy of `document` with the overrides written in, creating objects on the way. */
export function applyOverrides(document: unknown, overrides: Override[]): unknown {
  const copy = structuredClone(document ?? {}) as Record<string | number, unknown>;
  for (const { path, value } of overrides) {
    let node: Record<string | number, unknown> = copy;
    path.forEach((key, index) => {
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (next === null || typeof next !== 'object') {
        node[key] = typeof path[index + 1] === 'number' ? [] : {};
      }
      node = node[key] as Record<string | number, unknown>;
    });
  }
  return copy;
}
