import type { EntityManager } from 'typeorm';
import { ProjectTemplate, StageTemplate } from './entities';

/**
 * The system templates, as the Projects migration seeds them on MySQL: a project made from one
 * starts with its stages in this order.
 */
export const SYSTEM_TEMPLATES: readonly {
  name: string;
  description: string;
  stages: readonly string[];
}[] = [
  {
    name: 'Simple board',
    description: 'Three columns for a small team.',
    stages: ['To do', 'In progress', 'Done'],
  },
  {
    name: 'Product development',
    description: 'From a requirement to a release.',
    stages: ['Requirements', 'Design', 'Development', 'Testing', 'Released'],
  },
  {
    name: 'Kanban',
    description: 'Pull work through limited columns.',
    stages: ['Backlog', 'Ready', 'Doing', 'Review', 'Done'],
  },
  {
    name: 'Marketing campaign',
    description: 'Plan, produce, publish and measure.',
    stages: ['Ideas', 'Planning', 'Production', 'Published', 'Results'],
  },
];

/**
 * Adds the system templates and their stages while there is no system template: the embedded
 * profile (SQLite) builds its schema from the entities, without the migration that seeds them,
 * and a project is started from a template there too.
 */
export async function seedSystemTemplates(manager: EntityManager): Promise<void> {
  if (await manager.exists(ProjectTemplate, { where: { isSystem: true } })) return;
  for (const [sort, template] of SYSTEM_TEMPLATES.entries()) {
    const saved = await manager.save(
      manager.create(ProjectTemplate, {
        name: template.name,
        description: template.description,
        sort,
        isSystem: true,
      }),
    );
    await manager.insert(
      StageTemplate,
      template.stages.map((name, index) => ({ templateId: saved.id, name, sort: index })),
    );
  }
}
