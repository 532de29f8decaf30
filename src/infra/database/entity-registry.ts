import type { EntitySchema } from 'typeorm';
import type { EntityList } from './data-source.options';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entity = Function | string | EntitySchema;

/**
 * Entities declared by feature modules through `DatabaseModule.forFeature`. Module metadata
 * is evaluated before any provider factory runs, so every DataSource generation sees them all.
 */
const registered = new Set<Entity>();

export function registerEntities(entities: Entity[]): void {
  for (const entity of entities) registered.add(entity);
}

export function registeredEntities(): EntityList {
  return [...registered];
}
