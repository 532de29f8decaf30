import type { ClientRoute } from './client-route';
import { ABSENT_FEATURE_ROUTES } from './routes/absent-features.routes';
import { ACCOUNT_RECOVERY_ROUTES } from './routes/account-recovery.routes';
import { ADMIN_ROUTES } from './routes/admin.routes';
import { ANALYSIS_ROUTES } from './routes/analysis.routes';
import { ADMIN_WRITE_ROUTES } from './routes/admin-writes.routes';
import { ACCOUNT_ADMIN_ROUTES } from './routes/account-admin.routes';
import { ACCOUNT_DETAIL_ROUTES } from './routes/account-details.routes';
import { DEPARTMENT_MEMBER_ROUTES } from './routes/department-members.routes';
import { BOARD_ROUTES } from './routes/board.routes';
import { FILE_ROUTES } from './routes/file.routes';
import { HOME_ROUTES } from './routes/home.routes';
import { IMPORT_ROUTES } from './routes/imports.routes';
import { INVITE_LINK_ROUTES } from './routes/invite-link.routes';
import { LOGIN_ROUTES } from './routes/login.routes';
import { MEMBER_SESSION_ROUTES } from './routes/member-session.routes';
import { ORGANIZATION_ROUTES } from './routes/organization.routes';
import { ORGANIZATION_ADMIN_ROUTES } from './routes/organization-admin.routes';
import { NOTIFY_ROUTES } from './routes/notify.routes';
import { OVERVIEW_ROUTES } from './routes/overview.routes';
import { PERSONAL_ROUTES } from './routes/personal.routes';
import { PROJECT_ARCHIVE_ROUTES } from './routes/project-archive.routes';
import { PROJECT_EXIT_ROUTES } from './routes/project-exits.routes';
import { PROJECT_FILE_ROUTES } from './routes/project-files.routes';
import { PROJECT_ROUTES } from './routes/project.routes';
import { PROJECT_VERSION_ROUTES } from './routes/project-versions.routes';
import { PROJECT_INFO_ROUTES } from './routes/project-info.routes';
import { PROJECT_INVITE_ROUTES } from './routes/project-invite.routes';
import { SETTINGS_ROUTES } from './routes/settings.routes';
import { SYSTEM_ADMIN_ROUTES } from './routes/system-admin.routes';
import { TASK_DETAIL_ROUTES } from './routes/task-detail.routes';
import { TASK_MARK_ROUTES } from './routes/task-marks.routes';
import { TASK_TAG_ROUTES } from './routes/task-tags.routes';
import { TASK_TREE_ROUTES } from './routes/task-tree.routes';
import { TASK_WORKFLOW_ROUTES } from './routes/task-workflows.routes';
import { TASK_ROUTES } from './routes/task.routes';
import { TASK_BATCH_ROUTES } from './routes/task-batch.routes';
import { TASK_MEMBER_ROUTES } from './routes/task-members.routes';
import { TEMPLATE_ROUTES } from './routes/template.routes';

/** Every route of the original web client that msproject serves, each declared once. */
export const CLIENT_ROUTES: readonly ClientRoute[] = [
  ...LOGIN_ROUTES,
  ...MEMBER_SESSION_ROUTES,
  ...ACCOUNT_RECOVERY_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...ORGANIZATION_ADMIN_ROUTES,
  ...ADMIN_ROUTES,
  ...ADMIN_WRITE_ROUTES,
  ...SYSTEM_ADMIN_ROUTES,
  ...ACCOUNT_ADMIN_ROUTES,
  ...ACCOUNT_DETAIL_ROUTES,
  ...DEPARTMENT_MEMBER_ROUTES,
  ...INVITE_LINK_ROUTES,
  ...PROJECT_INVITE_ROUTES,
  ...HOME_ROUTES,
  ...PROJECT_ROUTES,
  ...TEMPLATE_ROUTES,
  ...TASK_ROUTES,
  ...TASK_BATCH_ROUTES,
  ...TASK_MEMBER_ROUTES,
  ...BOARD_ROUTES,
  ...FILE_ROUTES,
  ...PROJECT_FILE_ROUTES,
  ...NOTIFY_ROUTES,
  ...PERSONAL_ROUTES,
  ...OVERVIEW_ROUTES,
  ...ANALYSIS_ROUTES,
  ...SETTINGS_ROUTES,
  ...PROJECT_ARCHIVE_ROUTES,
  ...PROJECT_EXIT_ROUTES,
  ...TASK_DETAIL_ROUTES,
  ...TASK_MARK_ROUTES,
  ...TASK_TREE_ROUTES,
  ...IMPORT_ROUTES,
  ...PROJECT_VERSION_ROUTES,
  ...TASK_WORKFLOW_ROUTES,
  ...TASK_TAG_ROUTES,
  ...PROJECT_INFO_ROUTES,
  ...ABSENT_FEATURE_ROUTES,
] as ClientRoute[];

/** The client's paths (no leading slash) that msproject serves. */
export function clientPaths(): string[] {
  return CLIENT_ROUTES.map((route) => route.path);
}

/**
 * Calls of the client that msproject does not answer yet (they get a 404): listed so that
 * the route table shows them. A route declared above leaves this list.
 */
export const NOT_YET_SERVED: readonly { path: string; note: string }[] = [];
