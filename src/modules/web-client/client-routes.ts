import type { ClientRoute } from './client-route';
import { LOGIN_ROUTES } from './routes/login.routes';
import { ORGANIZATION_ROUTES } from './routes/organization.routes';
import { PROJECT_ROUTES } from './routes/project.routes';
import { TASK_ROUTES } from './routes/task.routes';

/** Every route of the original web client that msproject serves, each declared once. */
export const CLIENT_ROUTES: readonly ClientRoute[] = [
  ...LOGIN_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...PROJECT_ROUTES,
  ...TASK_ROUTES,
] as ClientRoute[];

/** The client's paths (no leading slash) that msproject serves. */
export function clientPaths(): string[] {
  return CLIENT_ROUTES.map((route) => route.path);
}
